using System.Text;

namespace OcppServer.Vision;

/// <summary>Normalisation of plate text and the look-alike character pairs.</summary>
public static class PlateText
{
    /// <summary>Province abbreviations that start a Chinese plate.</summary>
    public const string ChineseProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

    /// <summary>
    /// Upper case, full-width forms folded to ASCII, and everything but A–Z, 0–9 and Chinese province characters
    /// (spaces, dashes, dots, stickers read as punctuation) removed.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var builder = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = raw is >= '\uFF01' and <= '\uFF5E' ? (char)(raw - 0xFEE0) : raw;
            c = char.ToUpperInvariant(c);
            if (c is >= 'A' and <= 'Z' or >= '0' and <= '9' || IsProvince(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    public static bool IsProvince(char c) => ChineseProvinces.Contains(c);

    /// <summary>The character an OCR may confuse with <paramref name="c"/> (O/0, I/1, B/8, S/5, Z/2), or null.</summary>
    public static char? LookAlike(char c) => c switch
    {
        'O' => '0',
        '0' => 'O',
        'I' => '1',
        '1' => 'I',
        'B' => '8',
        '8' => 'B',
        'S' => '5',
        '5' => 'S',
        'Z' => '2',
        '2' => 'Z',
        _ => null,
    };
}
