using System.Text.Json;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// The org.ocppauth vendor extension as the charger sends it: DataTransfer with a JSON document serialised as the
/// <c>data</c> string, through the charger's normal outgoing call path (queue, one CALL outstanding).
/// </summary>
public static class OcppAuthExtension
{
    public const string VendorId = "org.ocppauth";
    public const string VehicleIdentification = "VehicleIdentification";
    public const string BiometricToken = "BiometricToken";

    /// <summary>Reports the VIN (and EVCCID) read over ISO 15118 / DIN 70121 for a connector.</summary>
    public static Task<DataTransferResponse> SendVehicleIdentificationAsync(
        this ChargePoint chargePoint, int connectorId, string vin, string? evccId, string? protocol, CancellationToken cancellationToken)
    {
        var request = VehicleIdentificationRequest(connectorId, vin, evccId, protocol);
        return chargePoint.DataTransferAsync(request.VendorId, request.MessageId, request.Data, cancellationToken);
    }

    /// <summary>Sends a compact JWS produced by the charger's biometric reader for a connector.</summary>
    public static Task<DataTransferResponse> SendBiometricTokenAsync(
        this ChargePoint chargePoint, int connectorId, string token, CancellationToken cancellationToken)
    {
        var request = BiometricTokenRequest(connectorId, token);
        return chargePoint.DataTransferAsync(request.VendorId, request.MessageId, request.Data, cancellationToken);
    }

    /// <summary>The VehicleIdentification DataTransfer (also sent directly by the load workload).</summary>
    public static DataTransferRequest VehicleIdentificationRequest(int connectorId, string vin, string? evccId, string? protocol)
    {
        var data = new Dictionary<string, object> { ["connectorId"] = connectorId, ["vin"] = vin };
        if (evccId is not null)
        {
            data["evccId"] = evccId;
        }

        if (protocol is not null)
        {
            data["protocol"] = protocol;
        }

        return new DataTransferRequest(VendorId, VehicleIdentification, JsonSerializer.Serialize(data));
    }

    /// <summary>The BiometricToken DataTransfer (also sent directly by the load workload).</summary>
    public static DataTransferRequest BiometricTokenRequest(int connectorId, string token) =>
        new(VendorId, BiometricToken, JsonSerializer.Serialize(new { connectorId, token }));

    /// <summary>The coarse reason of a Rejected reply (<c>{"reason":"…"}</c>), if any.</summary>
    public static string? Reason(this DataTransferResponse response)
    {
        if (string.IsNullOrEmpty(response.Data))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Data);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("reason", out var reason)
                ? reason.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
