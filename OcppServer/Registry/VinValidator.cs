namespace OcppServer.Registry;

public enum VinProblem
{
    None,
    WrongLength,
    InvalidCharacter,
    CheckDigitMismatch,
}

/// <summary>ISO 3779 vehicle identification numbers: 17 characters, no I, O or Q, and (optionally) the check digit in position 9.</summary>
public static class VinValidator
{
    private static ReadOnlySpan<int> Weights => [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

    public static string Normalize(string vin) => vin.Trim().ToUpperInvariant();

    public static VinProblem Check(string vin, bool requireCheckDigit)
    {
        if (vin.Length != 17)
        {
            return VinProblem.WrongLength;
        }

        int sum = 0;
        for (int i = 0; i < vin.Length; i++)
        {
            int value = Transliterate(vin[i]);
            if (value < 0)
            {
                return VinProblem.InvalidCharacter;
            }

            sum += value * Weights[i];
        }

        if (!requireCheckDigit)
        {
            return VinProblem.None;
        }

        int remainder = sum % 11;
        char expected = remainder == 10 ? 'X' : (char)('0' + remainder);
        return vin[8] == expected ? VinProblem.None : VinProblem.CheckDigitMismatch;
    }

    /// <summary>The check digit a VIN's first 17 characters call for (position 9 is ignored).</summary>
    public static char ComputeCheckDigit(string vin)
    {
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += Math.Max(0, Transliterate(vin[i])) * Weights[i];
        }

        int remainder = sum % 11;
        return remainder == 10 ? 'X' : (char)('0' + remainder);
    }

    private static int Transliterate(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        'A' or 'J' => 1,
        'B' or 'K' or 'S' => 2,
        'C' or 'L' or 'T' => 3,
        'D' or 'M' or 'U' => 4,
        'E' or 'N' or 'V' => 5,
        'F' or 'W' => 6,
        'G' or 'P' or 'X' => 7,
        'H' or 'Y' => 8,
        'R' or 'Z' => 9,
        _ => -1, // I, O, Q and anything else
    };
}
