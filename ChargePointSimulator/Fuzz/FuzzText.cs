using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace ChargePointSimulator.Fuzz;

/// <summary>
/// JSON string literals as a fuzzer needs them: written with every escape JSON allows (a lone surrogate can only be
/// written as <c>\uXXXX</c>), read back as UTF-16 code units even where System.Text.Json refuses to (it throws on a
/// lone surrogate escape), and frames shown as printable text whatever bytes they hold.
/// </summary>
internal static class FuzzText
{
    /// <summary>
    /// Stands for a place where invalid UTF-8 bytes go: the frame is built as text with this private-use character,
    /// which the generator replaces with the chosen bytes after encoding. The generator writes it nowhere else.
    /// </summary>
    public const char InvalidUtf8Marker = '\uE000';

    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// <paramref name="value"/> as a JSON string literal. Quotes, backslashes, control characters and lone surrogates are
    /// always escaped; with <paramref name="random"/>, other characters are sometimes escaped too (<c>\u0041</c>,
    /// <c>\/</c>, a surrogate pair as two escapes) and hex digits come in either case.
    /// </summary>
    public static string Literal(string value, Random? random = null)
    {
        var literal = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (pair)
            {
                if (random?.Next(2) == 0)
                {
                    AppendEscape(literal, c, random);
                    AppendEscape(literal, value[i + 1], random);
                }
                else
                {
                    literal.Append(c).Append(value[i + 1]);
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"':
                    literal.Append(random?.Next(4) == 0 ? "\\u0022" : "\\\"");
                    break;
                case '\\':
                    literal.Append(random?.Next(4) == 0 ? "\\u005c" : "\\\\");
                    break;
                case '\n':
                    literal.Append("\\n");
                    break;
                case '\r':
                    literal.Append("\\r");
                    break;
                case '\t':
                    literal.Append("\\t");
                    break;
                case '\b':
                    literal.Append("\\b");
                    break;
                case '\f':
                    literal.Append("\\f");
                    break;
                case '/' when random?.Next(3) == 0:
                    literal.Append("\\/");
                    break;
                case InvalidUtf8Marker:
                    literal.Append(c);
                    break;
                default:
                    if (c < ' ' || char.IsSurrogate(c) || (random is not null && (c > '~' ? random.Next(2) == 0 : random.Next(40) == 0)))
                    {
                        AppendEscape(literal, c, random);
                    }
                    else
                    {
                        literal.Append(c);
                    }

                    break;
            }
        }

        return literal.Append('"').ToString();
    }

    private static void AppendEscape(StringBuilder literal, char c, Random? random) =>
        literal.Append("\\u").Append(((int)c).ToString(random?.Next(2) == 0 ? "X4" : "x4", CultureInfo.InvariantCulture));

    /// <summary>A string element's value as UTF-16 code units, lone surrogate escapes included.</summary>
    public static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = JsonMarshal.GetRawUtf8Value(element);
            return Unescape(raw[1..^1]);
        }
    }

    /// <summary>Decodes the content of a JSON string literal (between its quotes) that a JSON reader has accepted.</summary>
    public static string Unescape(ReadOnlySpan<byte> content)
    {
        var text = new StringBuilder(content.Length);
        int start = 0;
        for (int i = 0; i < content.Length; i++)
        {
            if (content[i] != (byte)'\\' || i + 1 >= content.Length)
            {
                continue;
            }

            text.Append(Encoding.UTF8.GetString(content[start..i]));
            byte escape = content[i + 1];
            if (escape == (byte)'u' && i + 5 < content.Length)
            {
                text.Append((char)int.Parse(Encoding.ASCII.GetString(content.Slice(i + 2, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 5;
            }
            else
            {
                text.Append(escape switch
                {
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    _ => (char)escape,
                });
                i++;
            }

            start = i + 1;
        }

        return text.Append(Encoding.UTF8.GetString(content[start..])).ToString();
    }

    /// <summary>
    /// Bytes shown as text: printable ASCII as it is, everything else as <c>\xNN</c> per byte, long frames cut in the
    /// middle (their length is given).
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int maxShown = 1200)
    {
        var text = new StringBuilder(Math.Min(bytes.Length, maxShown) + 64);
        int head = bytes.Length <= maxShown ? bytes.Length : maxShown * 3 / 4;
        Append(text, bytes[..head]);
        if (head < bytes.Length)
        {
            int tail = maxShown / 4;
            text.Append(CultureInfo.InvariantCulture, $" …[{bytes.Length - head - tail} bytes left out]… ");
            Append(text, bytes[^tail..]);
        }

        return text.ToString();

        static void Append(StringBuilder text, ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes)
            {
                if (b is >= 0x20 and < 0x7F)
                {
                    text.Append((char)b);
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
                }
            }
        }
    }

    /// <summary>A string shown with its non-printable and non-ASCII code units as <c>\uXXXX</c> (ids in reports).</summary>
    public static string Shown(string value, int maxLength = 80)
    {
        var text = new StringBuilder("\"");
        foreach (char c in value.Length > maxLength ? value[..maxLength] : value)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                text.Append(c);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return text.Append(value.Length > maxLength ? $"\"…({value.Length} units)" : "\"").ToString();
    }
}
