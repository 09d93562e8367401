using System.Text.Json;

namespace OcppServer.Ocpp.Validation;

/// <summary>Why a payload does not conform to its schema, expressed as the OCPP-J error code to answer with.</summary>
public sealed record SchemaViolation(string ErrorCode, string Description)
{
    private const string RequiredPrefix = "payload: Required properties ";

    /// <summary>
    /// The payload's top-level property the violation is about (the first segment of its JSON Pointer, or the first
    /// missing required property), for a form that shows the message next to its field; null for the payload as a whole.
    /// Read from <see cref="Description"/>, which starts with that location.
    /// </summary>
    public string? Field
    {
        get
        {
            if (Description.StartsWith('/'))
            {
                int end = Description.IndexOfAny(['/', ':'], 1);
                string segment = end < 0 ? Description[1..] : Description[1..end];
                return segment.Length == 0 ? null : segment.Replace("~1", "/").Replace("~0", "~");
            }

            if (Description.StartsWith(RequiredPrefix, StringComparison.Ordinal))
            {
                int end = Description.IndexOf(']', RequiredPrefix.Length);
                try
                {
                    var names = end < 0 ? null : JsonSerializer.Deserialize<string[]>(Description[RequiredPrefix.Length..(end + 1)]);
                    return names is { Length: > 0 } ? names[0] : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            return null;
        }
    }
}
