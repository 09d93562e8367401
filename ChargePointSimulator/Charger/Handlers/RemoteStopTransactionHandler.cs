using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class RemoteStopTransactionHandler : ServerCallHandler<RemoteStopTransactionRequest>
{
    public override string Action => "RemoteStopTransaction";

    protected override HandlerResult Handle(ChargePoint chargePoint, RemoteStopTransactionRequest request)
    {
        var (status, then) = chargePoint.RemoteStop(request.TransactionId);
        return new(new StatusResponse(status), then);
    }
}
