using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OcppServer.Ocpp.Validation;

/// <summary>
/// String length for maxLength/minLength in text elements (user-perceived characters), as JsonSchema.Net counts it:
/// "e" + U+0301 is one character, and so is an emoji made of a surrogate pair.
/// </summary>
internal static class TextLength
{
    private const int StackLimit = 512;

    public static int Count(JsonElement value, ReadOnlySpan<byte> utf8Content, bool escaped)
    {
        if (escaped || utf8Content.Length > StackLimit)
        {
            return Count(value.GetString());
        }

        Span<char> text = stackalloc char[utf8Content.Length];
        return Count(text[..Encoding.UTF8.GetChars(utf8Content, text)]);
    }

    public static int Count(ReadOnlySpan<char> text)
    {
        int count = 0;
        while (!text.IsEmpty)
        {
            text = text[StringInfo.GetNextTextElementLength(text)..];
            count++;
        }

        return count;
    }
}
