using System.Text.Json;
using OcppServer.Authorization;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.Gate;
using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Handlers;

/// <summary>
/// Our DataTransfer vendor extension (vendorId <c>org.ocppauth</c>; <c>data</c> is a JSON document in a string):
/// <c>VehicleIdentification</c> (the VIN read over ISO 15118) and <c>BiometricToken</c> (a signed reader token).
/// Replies are coarse; the full reason goes to the decision log.
/// </summary>
public sealed class OcppAuthVendorExtension(
    OcppSchemaValidator schemas,
    VehicleIdentificationService vins,
    BiometricTokenService tokens,
    AutoStartCoordinator autoStart) : IVendorExtension
{
    public const string Vendor = "org.ocppauth";

    public string VendorId => Vendor;

    public async Task<VendorReply> HandleAsync(
        OcppCallContext context, DataTransferRequest request, DataTransferRecord transfer, CancellationToken cancellationToken)
    {
        if (request.MessageId is not ("VehicleIdentification" or "BiometricToken"))
        {
            return new VendorReply(new DataTransferResponse(DataTransferStatus.UnknownMessageId), Logged: false);
        }

        if (ParseData(request.MessageId, request.Data) is not { } data)
        {
            return new VendorReply(Rejected("InvalidData"), Logged: false);
        }

        int connectorId = data.GetProperty("connectorId").GetInt32();
        if (request.MessageId == "VehicleIdentification")
        {
            var report = new VinReport(connectorId, data.GetProperty("vin").GetString()!, Optional(data, "evccId"), Optional(data, "protocol"));
            string? problem = await vins.RecordAsync(context.ChargePointId, report, transfer, cancellationToken);
            if (problem is not null)
            {
                return new VendorReply(Rejected(problem), Logged: true);
            }
        }
        else
        {
            var outcome = await tokens.ProcessAsync(context.ChargePointId, connectorId, data.GetProperty("token").GetString()!, transfer, cancellationToken);
            if (!outcome.Matched)
            {
                string reason = outcome.Reason is "NoMatch" or "Ambiguous" or "NoEnrolledTemplates" or "NoEnrolledTemplate" ? "NotMatched" : "InvalidToken";
                return new VendorReply(Rejected(reason), Logged: true);
            }
        }

        string chargePointId = context.ChargePointId;
        context.RunAfterReply(ct => autoStart.TryStartAsync(chargePointId, connectorId, ct));
        return new VendorReply(new DataTransferResponse(DataTransferStatus.Accepted), Logged: true);
    }

    private JsonElement? ParseData(string messageId, string? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(data, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object && schemas.ValidateVendor(messageId, root) is null ? root : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Optional(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DataTransferResponse Rejected(string reason) =>
        new(DataTransferStatus.Rejected, JsonSerializer.Serialize(new { reason }));
}
