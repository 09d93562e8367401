using System.Collections.Frozen;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Hands DataTransfer to the registered vendor handler; other vendors get UnknownVendorId.</summary>
internal sealed class DataTransferHandler(IEnumerable<IDataTransferHandler> vendors) : ServerCallHandler<DataTransferRequest>
{
    private readonly FrozenDictionary<string, IDataTransferHandler> _vendors = vendors.ToFrozenDictionary(v => v.VendorId, StringComparer.Ordinal);

    public override string Action => "DataTransfer";

    protected override HandlerResult Handle(ChargePoint chargePoint, DataTransferRequest request) =>
        new(_vendors.TryGetValue(request.VendorId, out var vendor)
            ? vendor.Handle(chargePoint, request)
            : new DataTransferResponse(DataTransferStatus.UnknownVendorId));
}
