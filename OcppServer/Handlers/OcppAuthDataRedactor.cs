using System.Text.Json;
using System.Text.Json.Nodes;
using OcppServer.Ocpp.Redaction;

namespace OcppServer.Handlers;

/// <summary>What the logs keep of <see cref="OcppAuthVendorExtension"/>'s DataTransfers.</summary>
public sealed class OcppAuthDataRedactor : IDataTransferRedactor
{
    public string VendorId => OcppAuthVendorExtension.Vendor;

    /// <summary>
    /// A BiometricToken's token carries the captured biometric template, which is never stored in clear: the logs keep
    /// the data with the token replaced (what the token said and how it matched is in biometric_tokens), or nothing
    /// when the data is not a JSON object.
    /// </summary>
    public string? Redact(string? messageId, string? data)
    {
        if (messageId != "BiometricToken" || data is null)
        {
            return data;
        }

        try
        {
            if (JsonNode.Parse(data) is JsonObject fields)
            {
                if (fields.ContainsKey("token"))
                {
                    fields["token"] = OcppPayloadRedaction.Redacted;
                }

                return fields.ToJsonString();
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // not JSON, or a duplicated property: nothing of it is kept
        }

        return null;
    }
}
