using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OcppServer.Ocpp.Redaction;

/// <summary>
/// What the logs (data_transfers, commands, the raw message log) keep of a payload: DataTransfer data as its vendor's
/// <see cref="IDataTransferRedactor"/> says, and no value of the configuration key <c>AuthorizationKey</c> (the charge
/// point's Basic-auth password, OCPP 1.6 security profiles 1/2): not in a ChangeConfiguration, and not in a
/// GetConfiguration answer of a charger that does not keep it write-only as it should.
/// </summary>
public sealed class OcppPayloadRedaction(IEnumerable<IDataTransferRedactor> redactors)
{
    public const string Redacted = "[redacted]";

    /// <summary>Stored instead of a frame that may carry something to redact but cannot be parsed to find it.</summary>
    public const string WithheldFrame = "[frame withheld: it may carry data that is redacted, and is not valid OCPP-J]";

    /// <summary>Stored instead of a payload that may carry something to redact but names a property twice.</summary>
    public const string WithheldPayload = """{"withheld":"it may carry data that is redacted, and names a property twice"}""";

    private const string AuthorizationKey = "AuthorizationKey";

    private readonly FrozenDictionary<string, IDataTransferRedactor> _redactors = redactors.ToFrozenDictionary(r => r.VendorId, StringComparer.Ordinal);

    public string? RedactDataTransferData(string vendorId, string? messageId, string? data) =>
        _redactors.TryGetValue(vendorId, out var redactor) ? redactor.Redact(messageId, data) : data;

    /// <summary>The payload of a CALL of <paramref name="action"/> as it may be logged.</summary>
    public string RedactCallPayload(string action, JsonElement payload) => RedactPayload(payload, fields => Redact(action, fields)).Text;

    /// <summary>The payload of a CALLRESULT as it may be kept or shown: <paramref name="payload"/> itself when nothing is redacted.</summary>
    public JsonElement RedactResult(JsonElement payload)
    {
        var (text, changed) = RedactPayload(payload, RedactConfigurationValues);
        if (!changed)
        {
            return payload;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private (string Text, bool Changed) RedactPayload(JsonElement payload, Func<JsonObject, bool> redact)
    {
        string text = payload.GetRawText();
        if (!MayNeedRedaction(text))
        {
            return (text, false);
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject fields && redact(fields) ? (fields.ToJsonString(), true) : (text, false);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return (WithheldPayload, true);
        }
    }

    /// <summary>A raw frame as it may be logged.</summary>
    public string RedactFrame(string frame)
    {
        if (!MayNeedRedaction(frame))
        {
            return frame;
        }

        try
        {
            if (JsonNode.Parse(frame) is not JsonArray message || message[0] is not JsonValue type || !type.TryGetValue(out int messageType))
            {
                return frame;
            }

            bool redacted = messageType switch
            {
                2 when message.Count == 4 && message[2] is JsonValue action && action.TryGetValue(out string? actionName)
                       && message[3] is JsonObject payload => Redact(actionName, payload),
                3 when message.Count == 3 && message[2] is JsonObject result => RedactConfigurationValues(result),
                _ => false, // a CALLERROR carries no payload of the charger's
            };
            return redacted ? message.ToJsonString() : frame;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return WithheldFrame; // not valid JSON, or duplicate property names: which value is meant is unclear
        }
    }

    // A name written with \u escapes would not match the plain text: such text is parsed too.
    private bool MayNeedRedaction(string text) =>
        text.Contains("\\u", StringComparison.Ordinal)
        || text.Contains(AuthorizationKey, StringComparison.OrdinalIgnoreCase)
        || _redactors.Keys.Any(vendor => text.Contains(vendor, StringComparison.Ordinal));

    /// <summary>Redacts a CALL payload in place; false when nothing of it is redacted.</summary>
    private bool Redact(string action, JsonObject payload)
    {
        if (action == "DataTransfer" && payload["vendorId"] is JsonValue vendor && vendor.TryGetValue(out string? vendorId)
            && _redactors.ContainsKey(vendorId))
        {
            string? messageId = payload["messageId"] is JsonValue m && m.TryGetValue(out string? id) ? id : null;
            string? data = payload["data"] is JsonValue d && d.TryGetValue(out string? text) ? text : payload["data"]?.ToJsonString();
            payload["data"] = RedactDataTransferData(vendorId, messageId, data);
            return true;
        }

        return RedactConfigurationValues(payload);
    }

    /// <summary>
    /// Replaces the <c>value</c> of every object whose <c>key</c> is AuthorizationKey, wherever it is in
    /// <paramref name="node"/> (a ChangeConfiguration request, the configurationKey list of a GetConfiguration answer).
    /// </summary>
    private static bool RedactConfigurationValues(JsonNode? node)
    {
        bool redacted = false;
        switch (node)
        {
            case JsonObject fields:
                if (fields["key"] is JsonValue key && key.TryGetValue(out string? name)
                    && string.Equals(name, AuthorizationKey, StringComparison.OrdinalIgnoreCase) && fields.ContainsKey("value"))
                {
                    fields["value"] = Redacted;
                    redacted = true;
                }

                foreach (var (_, child) in fields.ToList())
                {
                    redacted |= RedactConfigurationValues(child);
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    redacted |= RedactConfigurationValues(item);
                }

                break;
        }

        return redacted;
    }
}
