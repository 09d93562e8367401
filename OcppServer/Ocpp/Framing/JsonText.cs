using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;

namespace OcppServer.Ocpp.Framing;

/// <summary>
/// JSON strings as a charge point may really send them. JSON text may escape a lone UTF-16 surrogate
/// (<c>"\ud800"</c>): valid JSON, valid UTF-8, but not Unicode text, and System.Text.Json refuses to read such a
/// string (or any property of an object whose names hold one). These helpers read it anyway, so that a message id can
/// be echoed exactly as the charger sent it, and find it, so that a payload holding one is refused precisely.
/// </summary>
public static class JsonText
{
    /// <summary>Whether <paramref name="text"/> is Unicode text: every surrogate is half of a pair.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => IndexOfUnpairedSurrogate(text) < 0;

    public static int IndexOfUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The value of a string element; unpaired surrogates are kept as the lone UTF-16 code units they escape.</summary>
    public static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = JsonMarshal.GetRawUtf8Value(element);
            return Unescape(raw[1..^1]); // the raw value of a string element includes its quotes
        }
    }

    /// <summary>The value of the string token the reader stands on, as <see cref="ReadString(JsonElement)"/>.</summary>
    public static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Unescape(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        }
    }

    /// <summary>Decodes the content of a JSON string (between its quotes) that the JSON reader has already accepted.</summary>
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
            if (escape == (byte)'u' && i + 5 < content.Length
                && int.TryParse(Encoding.ASCII.GetString(content.Slice(i + 2, 4)), System.Globalization.NumberStyles.HexNumber, null, out int unit))
            {
                text.Append((char)unit);
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
                    _ => (char)escape, // '"', '\\', '/'
                });
                i += 1;
            }

            start = i + 1;
        }

        text.Append(Encoding.UTF8.GetString(content[start..]));
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> as a JSON string literal in which every character outside printable ASCII is a
    /// <c>\uXXXX</c> escape: a lone surrogate is written back exactly as it was received, where
    /// <see cref="Utf8JsonWriter"/> would replace it with U+FFFD.
    /// </summary>
    public static string ToAsciiLiteral(string text)
    {
        var literal = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                literal.Append(c);
            }
            else
            {
                literal.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return literal.Append('"').ToString();
    }
}
