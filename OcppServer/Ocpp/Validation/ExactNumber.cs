namespace OcppServer.Ocpp.Validation;

/// <summary>
/// A JSON number read exactly from its text (no rounding to double), as JSON Schema compares numbers:
/// ±0.d₁d₂…dₙ × 10^Exponent with no leading or trailing zero digit; zero has no digit.
/// </summary>
internal readonly ref struct ExactNumber
{
    private const long ExponentLimit = 1_000_000_000_000;

    public ExactNumber(bool negative, ReadOnlySpan<byte> digits, long exponent)
    {
        Negative = negative;
        Digits = digits;
        Exponent = exponent;
    }

    public bool Negative { get; }

    /// <summary>Digit values 0–9, not characters.</summary>
    public ReadOnlySpan<byte> Digits { get; }

    public long Exponent { get; }

    /// <summary>Reads a number that the JSON parser already accepted; <paramref name="buffer"/> needs raw.Length bytes.</summary>
    public static ExactNumber Parse(ReadOnlySpan<byte> raw, Span<byte> buffer)
    {
        int i = 0;
        bool negative = raw[0] == '-';
        if (negative)
        {
            i++;
        }

        int count = 0;
        long exponent = 0;
        bool fraction = false;
        for (; i < raw.Length && raw[i] is not ((byte)'e' or (byte)'E'); i++)
        {
            if (raw[i] == '.')
            {
                fraction = true;
                continue;
            }

            byte digit = (byte)(raw[i] - '0');
            if (count == 0 && digit == 0)
            {
                exponent -= fraction ? 1 : 0;
                continue;
            }

            buffer[count++] = digit;
            exponent += fraction ? 0 : 1;
        }

        if (i < raw.Length)
        {
            exponent += ReadExponent(raw[(i + 1)..]);
        }

        while (count > 0 && buffer[count - 1] == 0)
        {
            count--;
        }

        return new ExactNumber(negative, buffer[..count], count == 0 ? 0 : exponent);
    }

    public bool IsZero => Digits.IsEmpty;

    public int CompareTo(ExactNumber other)
    {
        if (IsZero || other.IsZero)
        {
            return IsZero && other.IsZero ? 0 : IsZero ? (other.Negative ? 1 : -1) : (Negative ? -1 : 1);
        }

        if (Negative != other.Negative)
        {
            return Negative ? -1 : 1;
        }

        int magnitude = Exponent != other.Exponent ? Exponent.CompareTo(other.Exponent) : Math.Sign(Digits.SequenceCompareTo(other.Digits));
        return Negative ? -magnitude : magnitude;
    }

    /// <summary>Whether this number is an integer multiple of <c>divisor × 10^divisorScale</c>.</summary>
    public bool IsMultipleOf(ulong divisor, long divisorScale)
    {
        if (IsZero)
        {
            return true;
        }

        // This number is V × 10^scale with V = its digits as an integer, which ends in a non-zero digit, so 10 does not
        // divide V: the quotient can only be an integer if scale ≥ divisorScale and divisor divides V × 10^(scale − divisorScale).
        long scale = Exponent - Digits.Length;
        if (scale < divisorScale)
        {
            return false;
        }

        ulong remainder = 0;
        foreach (byte digit in Digits)
        {
            remainder = (remainder * 10 + digit) % divisor;
        }

        return (UInt128)remainder * PowerOfTenModulo(scale - divisorScale, divisor) % divisor == 0;
    }

    private static ulong PowerOfTenModulo(long exponent, ulong modulus)
    {
        UInt128 result = 1 % modulus, factor = 10 % modulus;
        for (; exponent > 0; exponent >>= 1)
        {
            if ((exponent & 1) != 0)
            {
                result = result * factor % modulus;
            }

            factor = factor * factor % modulus;
        }

        return (ulong)result;
    }

    private static long ReadExponent(ReadOnlySpan<byte> text)
    {
        bool negative = text[0] == '-';
        long value = 0;
        foreach (byte c in text[(text[0] is (byte)'-' or (byte)'+' ? 1 : 0)..])
        {
            value = Math.Min(value * 10 + (c - '0'), ExponentLimit);
        }

        return negative ? -value : value;
    }
}
