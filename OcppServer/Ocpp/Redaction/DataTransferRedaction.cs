using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OcppServer.Ocpp.Redaction;

/// <summary>Applies the registered <see cref="IDataTransferRedactor"/>s to DataTransfer data and to raw frames before they are logged.</summary>
public sealed class DataTransferRedaction(IEnumerable<IDataTransferRedactor> redactors)
{
    /// <summary>Stored instead of a frame that names a redacting vendor but cannot be parsed to find the part to redact.</summary>
    public const string WithheldFrame = "[frame withheld: it names a vendor whose DataTransfer data is redacted, and is not valid OCPP-J]";

    private readonly FrozenDictionary<string, IDataTransferRedactor> _redactors = redactors.ToFrozenDictionary(r => r.VendorId, StringComparer.Ordinal);

    public string? RedactData(string vendorId, string? messageId, string? data) =>
        _redactors.TryGetValue(vendorId, out var redactor) ? redactor.Redact(messageId, data) : data;

    /// <summary>The frame as it may be logged: a DataTransfer CALL to a redacting vendor gets its <c>data</c> redacted.</summary>
    public string RedactFrame(string frame)
    {
        // A vendorId written with \u escapes would not match the plain text: such frames are parsed too.
        if (!frame.Contains("\\u", StringComparison.Ordinal) && !_redactors.Keys.Any(vendor => frame.Contains(vendor, StringComparison.Ordinal)))
        {
            return frame;
        }

        try
        {
            if (JsonNode.Parse(frame) is not JsonArray { Count: 4 } call
                || call[0] is not JsonValue type || !type.TryGetValue(out int messageType) || messageType != 2
                || call[2] is not JsonValue action || !action.TryGetValue(out string? actionName) || actionName != "DataTransfer"
                || call[3] is not JsonObject payload
                || payload["vendorId"] is not JsonValue vendor || !vendor.TryGetValue(out string? vendorId) || !_redactors.ContainsKey(vendorId))
            {
                return frame; // only a DataTransfer CALL to a redacting vendor carries data to redact
            }

            string? messageId = payload["messageId"] is JsonValue m && m.TryGetValue(out string? id) ? id : null;
            string? data = payload["data"] is JsonValue d && d.TryGetValue(out string? text) ? text : payload["data"]?.ToJsonString();
            payload["data"] = RedactData(vendorId, messageId, data);
            return call.ToJsonString();
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return WithheldFrame; // not valid JSON, or duplicate property names: which "data" is meant is unclear
        }
    }
}
