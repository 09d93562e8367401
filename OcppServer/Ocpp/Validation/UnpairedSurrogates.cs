using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using OcppServer.Ocpp.Framing;

namespace OcppServer.Ocpp.Validation;

/// <summary>
/// Finds a string in a payload that escapes an unpaired UTF-16 surrogate (<c>"\ud800"</c>). Such a string is valid
/// JSON but not Unicode text: it cannot be stored, compared or shown faithfully, and System.Text.Json throws when it
/// is read. The validator refuses it before any schema keyword looks at the payload: a value holding one is a
/// <c>PropertyConstraintViolation</c> (a string of the right type whose value no schema accepts), a property name
/// holding one a <c>FormationViolation</c> (no schema has such a property). Documented in the README.
/// </summary>
internal static class UnpairedSurrogates
{
    public static SchemaViolation? Find(JsonElement payload)
    {
        // Only a \u escape can produce a surrogate (the frame is valid UTF-8), so nearly every payload stops here.
        if (JsonMarshal.GetRawUtf8Value(payload).IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        return Walk(payload, "");
    }

    private static SchemaViolation? Walk(JsonElement value, string location)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var rawName = JsonMarshal.GetRawUtf8PropertyName(property);
                    string name = JsonText.Unescape(rawName);
                    string child = $"{location}/{name.Replace("~", "~0").Replace("/", "~1")}";
                    if (rawName.IndexOf((byte)'\\') >= 0 && !JsonText.IsWellFormed(name))
                    {
                        return new SchemaViolation(OcppErrorCode.FormationViolation,
                            $"{Shown(location)}: property name holds an unpaired UTF-16 surrogate escape ({Unit(name)}), not Unicode text");
                    }

                    if (Walk(property.Value, child) is { } inside)
                    {
                        return inside;
                    }
                }

                return null;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Walk(item, $"{location}/{index++.ToString(CultureInfo.InvariantCulture)}") is { } inside)
                    {
                        return inside;
                    }
                }

                return null;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(value);
                if (raw.IndexOf("\\u"u8) < 0)
                {
                    return null;
                }

                string text = JsonText.ReadString(value);
                return JsonText.IsWellFormed(text)
                    ? null
                    : new SchemaViolation(OcppErrorCode.PropertyConstraintViolation,
                        $"{Shown(location)}: Value holds an unpaired UTF-16 surrogate escape ({Unit(text)}), not Unicode text");
            default:
                return null;
        }
    }

    private static string Shown(string location) => location.Length == 0 ? "payload" : location;

    private static string Unit(string text) =>
        $"\\u{(int)text[JsonText.IndexOfUnpairedSurrogate(text)]:X4}";
}
