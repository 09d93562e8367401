using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class ReserveNowHandler : ServerCallHandler<ReserveNowRequest>
{
    public override string Action => "ReserveNow";

    protected override HandlerResult Handle(ChargePoint chargePoint, ReserveNowRequest request) =>
        new(new ReserveNowResponse(chargePoint.ReserveNow(request)));
}
