using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class ClearCacheHandler : ServerCallHandler<ClearCacheRequest>
{
    public override string Action => "ClearCache";

    protected override HandlerResult Handle(ChargePoint chargePoint, ClearCacheRequest request)
    {
        chargePoint.AuthorizationCache.Clear();
        return new(new StatusResponse(AcceptedOrRejected.Accepted));
    }
}
