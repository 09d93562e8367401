using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OcppServer.Ocpp.Redaction;

/// <summary>
/// What the logs (data_transfers, commands, the raw message log) keep of a CALL payload: DataTransfer data as its
/// vendor's <see cref="IDataTransferRedactor"/> says, and no ChangeConfiguration value of <c>AuthorizationKey</c> (the
/// charge point's Basic-auth password, OCPP 1.6 security profile 1/2).
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
    public string RedactCallPayload(string action, JsonElement payload)
    {
        string text = payload.GetRawText();
        if (!MayNeedRedaction(text))
        {
            return text;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject fields && Redact(action, fields) ? fields.ToJsonString() : text;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return WithheldPayload;
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
            if (JsonNode.Parse(frame) is not JsonArray { Count: 4 } call
                || call[0] is not JsonValue type || !type.TryGetValue(out int messageType) || messageType != 2
                || call[2] is not JsonValue action || !action.TryGetValue(out string? actionName)
                || call[3] is not JsonObject payload
                || !Redact(actionName, payload))
            {
                return frame; // only CALLs carry payloads to redact
            }

            return call.ToJsonString();
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

    /// <summary>Redacts <paramref name="payload"/> in place; false when nothing of it is redacted.</summary>
    private bool Redact(string action, JsonObject payload)
    {
        switch (action)
        {
            case "DataTransfer" when payload["vendorId"] is JsonValue vendor && vendor.TryGetValue(out string? vendorId)
                                     && _redactors.ContainsKey(vendorId):
                string? messageId = payload["messageId"] is JsonValue m && m.TryGetValue(out string? id) ? id : null;
                string? data = payload["data"] is JsonValue d && d.TryGetValue(out string? text) ? text : payload["data"]?.ToJsonString();
                payload["data"] = RedactDataTransferData(vendorId, messageId, data);
                return true;
            case "ChangeConfiguration" when payload["key"] is JsonValue key && key.TryGetValue(out string? name)
                                            && string.Equals(name, AuthorizationKey, StringComparison.OrdinalIgnoreCase):
                payload["value"] = Redacted;
                return true;
            default:
                return false;
        }
    }
}
