using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class GetLocalListVersionHandler : ServerCallHandler<GetLocalListVersionRequest>
{
    public override string Action => "GetLocalListVersion";

    protected override HandlerResult Handle(ChargePoint chargePoint, GetLocalListVersionRequest request) =>
        new(new GetLocalListVersionResponse(chargePoint.LocalListVersion()));
}
