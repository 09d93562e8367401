using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>What the central system answered to a VehicleIdentification (or why it could not be sent).</summary>
public sealed record VehicleIdentificationResult(int ConnectorId, string Vin, DataTransferResponse? Response, string? Error);

/// <summary>
/// ISO 15118 plug-in hook: when a vehicle that shared its VIN over a high-level protocol is plugged in, the charger
/// sends the org.ocppauth VehicleIdentification DataTransfer before any authorization. Vehicles without a VIN or
/// without ISO 15118 / DIN 70121 (basic AC charging) send nothing. A failure to deliver (off line, timeout) is
/// reported, not thrown: plugging in still succeeds, as on real firmware.
/// </summary>
public sealed class VehicleIdentificationHook(Action<VehicleIdentificationResult>? answered = null) : IVehiclePlugInHook
{
    public async Task OnPluggedInAsync(ChargePoint chargePoint, int connectorId, IVehicle vehicle, CancellationToken cancellationToken)
    {
        if (vehicle.Vin is not { Length: > 0 } vin || vehicle.Protocol is null)
        {
            return;
        }

        VehicleIdentificationResult result;
        try
        {
            var response = await chargePoint.SendVehicleIdentificationAsync(connectorId, vin, vehicle.EvccId, vehicle.Protocol, cancellationToken);
            result = new VehicleIdentificationResult(connectorId, vin, response, null);
        }
        catch (Exception ex) when (ex is OcppNotConnectedException or OcppCallTimeoutException or OcppCallErrorException)
        {
            result = new VehicleIdentificationResult(connectorId, vin, null, ex.Message);
        }

        chargePoint.Raise(ChargePointEventKind.Information,
            $"VehicleIdentification connector {connectorId} VIN {vin}: {result.Response?.Status.ToString() ?? result.Error}");
        answered?.Invoke(result);
    }
}
