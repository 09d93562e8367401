using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted when a usable connector is free; then Authorize (unless AuthorizeRemoteTxRequests is false) and start.</summary>
internal sealed class RemoteStartTransactionHandler : ServerCallHandler<RemoteStartTransactionRequest>
{
    public override string Action => "RemoteStartTransaction";

    protected override HandlerResult Handle(ChargePoint chargePoint, RemoteStartTransactionRequest request)
    {
        var (status, then) = chargePoint.RemoteStart(request);
        return new(new StatusResponse(status), then);
    }
}
