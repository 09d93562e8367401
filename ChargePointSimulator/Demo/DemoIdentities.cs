namespace ChargePointSimulator.Demo;

/// <summary>Random but valid identities for one demo run, so that runs can be repeated on the same server.</summary>
public static class DemoIdentities
{
    private const string VinCharacters = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    internal const string PlateLetters = "ABCDEFGHJKLMNPRSTUVWXYZ";

    /// <summary>A 17-character VIN (no I/O/Q) with the ISO 3779 check digit in position 9.</summary>
    public static string Vin(Random random)
    {
        char[] vin = Enumerable.Range(0, 17).Select(_ => VinCharacters[random.Next(VinCharacters.Length)]).ToArray();
        vin[8] = CheckDigit(vin);
        return new string(vin);
    }

    /// <summary>A UK-style plate: two letters, two digits, three letters (e.g. KB47XRT).</summary>
    public static string Plate(Random random)
    {
        char L() => PlateLetters[random.Next(PlateLetters.Length)];
        return $"{L()}{L()}{random.Next(10, 100)}{L()}{L()}{L()}";
    }

    /// <summary>Six hex characters that make this run's ids unique.</summary>
    public static string RunSuffix(Random random) => random.Next(0x100000, 0xFFFFFF).ToString("X6", System.Globalization.CultureInfo.InvariantCulture);

    private static char CheckDigit(char[] vin)
    {
        int[] weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += Transliterate(vin[i]) * weights[i];
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
        _ => 0,
    };
}
