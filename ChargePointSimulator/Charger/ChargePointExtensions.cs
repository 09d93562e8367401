using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// Runs when a vehicle is plugged in, after the connector went to Preparing: e.g. the ISO 15118 VehicleIdentification
/// DataTransfer of the org.ocppauth extension, sent before authorization.
/// </summary>
public interface IVehiclePlugInHook
{
    Task OnPluggedInAsync(ChargePoint chargePoint, int connectorId, IVehicle vehicle, CancellationToken cancellationToken);
}

/// <summary>Answers DataTransfer requests of one vendor sent by the central system. Other vendors get UnknownVendorId.</summary>
public interface IDataTransferHandler
{
    string VendorId { get; }

    DataTransferResponse Handle(ChargePoint chargePoint, DataTransferRequest request);
}
