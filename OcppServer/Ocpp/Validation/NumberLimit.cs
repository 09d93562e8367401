using System.Globalization;

namespace OcppServer.Ocpp.Validation;

/// <summary>The value of minimum or maximum, kept exactly; <see cref="Integer"/> when it is a 64-bit integer.</summary>
internal sealed class NumberLimit
{
    private readonly bool _negative;
    private readonly byte[] _digits;
    private readonly long _exponent;

    public NumberLimit(string text)
    {
        Text = text;
        var number = ExactNumber.Parse(System.Text.Encoding.UTF8.GetBytes(text), new byte[text.Length]);
        (_negative, _digits, _exponent) = (number.Negative, number.Digits.ToArray(), number.Exponent);
        Integer = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer) ? integer : null;
    }

    /// <summary>As written in the schema; error messages quote it.</summary>
    public string Text { get; }

    public long? Integer { get; }

    public ExactNumber Value => new(_negative, _digits, _exponent);
}

/// <summary>The value of multipleOf as an integer times a power of ten: 0.1 is 1 × 10^-1.</summary>
internal sealed class Divisor
{
    public Divisor(string text)
    {
        Text = text;
        var number = ExactNumber.Parse(System.Text.Encoding.UTF8.GetBytes(text), new byte[text.Length]);
        if (number.IsZero || number.Negative || number.Digits.Length > 17)
        {
            throw new ArgumentException($"multipleOf {text} must be positive with at most 17 significant digits");
        }

        foreach (byte digit in number.Digits)
        {
            Digits = Digits * 10 + digit;
        }

        Scale = number.Exponent - number.Digits.Length;
    }

    public string Text { get; }

    public ulong Digits { get; }

    public long Scale { get; }
}
