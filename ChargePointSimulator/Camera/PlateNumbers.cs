namespace ChargePointSimulator.Camera;

/// <summary>Random but plausible plate numbers per style, normalised (upper case, no separators).</summary>
public static class PlateNumbers
{
    /// <summary>Province abbreviations used as the first character of Chinese plates.</summary>
    public const string Provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

    // I, O and Q are left out: most issuing authorities avoid them because they look like 1 and 0.
    private const string Letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    private const string Digits = "0123456789";

    public static string Next(PlateStyle style, Random random) => style switch
    {
        PlateStyle.EuWhite or PlateStyle.EuYellow => NextEuropean(random),
        PlateStyle.CnBlue => NextChineseBlue(random),
        PlateStyle.CnGreen => NextChineseGreen(random),
        _ => throw new ArgumentOutOfRangeException(nameof(style)),
    };

    /// <summary>How the plate is printed: the normalised number with the spaces or dot of its layout.</summary>
    public static string Display(string plate, PlateStyle style, Random random)
    {
        if (style.IsChinese())
        {
            return string.Concat(plate.AsSpan(0, 2), "·", plate.AsSpan(2));
        }
        if (plate.Length <= 4)
        {
            return plate;
        }
        // Split where letters meet digits, as most European layouts do, or else in the middle.
        var split = Enumerable.Range(1, plate.Length - 1).Where(i => char.IsDigit(plate[i]) != char.IsDigit(plate[i - 1])).ToList();
        var at = split.Count > 0 ? split[random.Next(split.Count)] : plate.Length / 2;
        var separator = random.Next(3) == 0 ? "-" : " ";
        return string.Concat(plate.AsSpan(0, at), separator, plate.AsSpan(at));
    }

    private static string NextEuropean(Random random)
    {
        var pattern = random.Next(6) switch
        {
            0 => "LL99LLL",  // UK
            1 => "LL999LL",  // FR, IT
            2 => "LLL9999",  // DE-like
            3 => "LL99999",  // PL, NO
            4 => "9LLL999",  // CZ, US-like
            _ => "L" + new string('L', random.Next(1, 3)) + new string('9', random.Next(2, 5)),
        };
        return string.Concat(pattern.Select(c => c == 'L' ? Pick(Letters, random) : Pick(Digits, random)));
    }

    private static string NextChineseBlue(Random random)
    {
        var chars = new char[7];
        chars[0] = Pick(Provinces, random);
        chars[1] = Pick(Letters, random);
        var letterCount = random.Next(3);
        for (var i = 2; i < 7; i++)
        {
            chars[i] = Pick(Digits, random);
        }
        for (var n = 0; n < letterCount; n++)
        {
            chars[2 + random.Next(5)] = Pick(Letters, random);
        }
        return new string(chars);
    }

    private static string NextChineseGreen(Random random)
    {
        var province = Pick(Provinces, random);
        var letter = Pick(Letters, random);
        var energy = random.Next(2) == 0 ? 'D' : 'F';
        if (random.Next(3) == 0)
        {
            // Large vehicle: five digits, then D or F.
            return $"{province}{letter}{Digits5(random)}{energy}";
        }
        var second = random.Next(2) == 0 ? Pick(Letters, random) : Pick(Digits, random);
        return $"{province}{letter}{energy}{second}{Digits5(random)[1..]}";
    }

    private static string Digits5(Random random) => string.Concat(Enumerable.Range(0, 5).Select(_ => Pick(Digits, random)));

    private static char Pick(string from, Random random) => from[random.Next(from.Length)];
}
