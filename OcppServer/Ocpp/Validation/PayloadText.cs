using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using OcppServer.Ocpp.Framing;

namespace OcppServer.Ocpp.Validation;

/// <summary>
/// What a payload must be, as text, before any schema keyword looks at it; the validator refuses it otherwise:
/// <list type="bullet">
/// <item>No object names a property twice. JSON leaves the meaning of duplicates open: a schema would check one value
/// and a handler read the other (the first <c>idTag</c> valid, the second null). A <c>FormationViolation</c>.</item>
/// <item>No string escapes an unpaired UTF-16 surrogate (<c>"\ud800"</c>): valid JSON and valid UTF-8, but not Unicode
/// text — it cannot be stored, compared or shown faithfully, and System.Text.Json throws when it is read. In a value a
/// <c>PropertyConstraintViolation</c> (a string whose value no schema accepts), in a property name a
/// <c>FormationViolation</c> (no schema has such a property).</item>
/// </list>
/// A valid payload is checked without allocating: names are compared as raw UTF-8 unless one is escaped.
/// </summary>
internal static class PayloadText
{
    /// <summary>Objects with more properties than this are checked for duplicates with a set instead of pairwise.</summary>
    private const int PairwiseLimit = 16;

    public static SchemaViolation? Find(JsonElement payload) =>
        Walk(payload, JsonMarshal.GetRawUtf8Value(payload).IndexOf("\\u"u8) >= 0) is { } problem ? problem.ToViolation() : null;

    private static Problem? Walk(JsonElement value, bool mayHoldSurrogates)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (DuplicateName(value) is { } duplicate)
                {
                    return new Problem(OcppErrorCode.FormationViolation, $"property {Quoted(duplicate)} is named twice");
                }

                foreach (var property in value.EnumerateObject())
                {
                    var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (mayHoldSurrogates && rawName.IndexOf((byte)'\\') >= 0 && JsonText.Unescape(rawName) is var name && !JsonText.IsWellFormed(name))
                    {
                        return new Problem(OcppErrorCode.FormationViolation,
                            $"property name holds an unpaired UTF-16 surrogate escape ({Unit(name)}), not Unicode text");
                    }

                    if (Walk(property.Value, mayHoldSurrogates) is { } inside)
                    {
                        return inside.Under(JsonText.Unescape(rawName));
                    }
                }

                return null;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Walk(item, mayHoldSurrogates) is { } inside)
                    {
                        return inside.Under(index.ToString(CultureInfo.InvariantCulture));
                    }

                    index++;
                }

                return null;
            case JsonValueKind.String when mayHoldSurrogates && JsonMarshal.GetRawUtf8Value(value).IndexOf("\\u"u8) >= 0:
                string text = JsonText.ReadString(value);
                return JsonText.IsWellFormed(text)
                    ? null
                    : new Problem(OcppErrorCode.PropertyConstraintViolation, $"Value holds an unpaired UTF-16 surrogate escape ({Unit(text)}), not Unicode text");
            default:
                return null;
        }
    }

    /// <summary>A property name used twice in <paramref name="obj"/>, compared as decoded text; null when all differ.</summary>
    private static string? DuplicateName(JsonElement obj)
    {
        int count = 0;
        bool escaped = false;
        foreach (var property in obj.EnumerateObject())
        {
            count++;
            escaped |= JsonMarshal.GetRawUtf8PropertyName(property).IndexOf((byte)'\\') >= 0;
        }

        if (count < 2)
        {
            return null;
        }

        if (escaped || count > PairwiseLimit)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in obj.EnumerateObject())
            {
                string name = JsonText.Unescape(JsonMarshal.GetRawUtf8PropertyName(property));
                if (!seen.Add(name))
                {
                    return name;
                }
            }

            return null;
        }

        int i = 0;
        foreach (var first in obj.EnumerateObject())
        {
            int j = 0;
            foreach (var second in obj.EnumerateObject())
            {
                if (j++ > i && JsonMarshal.GetRawUtf8PropertyName(first).SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(second)))
                {
                    return JsonText.Unescape(JsonMarshal.GetRawUtf8PropertyName(first));
                }
            }

            i++;
        }

        return null;
    }

    private static string Quoted(string name) => JsonText.ToAsciiLiteral(name.Length <= 64 ? name : name[..64]);

    private static string Unit(string text) => $"\\u{(int)text[JsonText.IndexOfUnpairedSurrogate(text)]:X4}";

    /// <summary>A problem found at <see cref="Path"/> (JSON Pointer segments, outermost first once unwound).</summary>
    private sealed record Problem(string Code, string Message)
    {
        private readonly List<string> _reversedPath = [];

        public Problem Under(string segment)
        {
            _reversedPath.Add(segment.Replace("~", "~0").Replace("/", "~1"));
            return this;
        }

        public SchemaViolation ToViolation()
        {
            string location = _reversedPath.Count == 0 ? "payload" : "/" + string.Join('/', Enumerable.Reverse(_reversedPath));
            return new SchemaViolation(Code, $"{location}: {Message}");
        }
    }
}
