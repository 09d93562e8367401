using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class GetCompositeScheduleHandler : ServerCallHandler<GetCompositeScheduleRequest>
{
    public override string Action => "GetCompositeSchedule";

    protected override HandlerResult Handle(ChargePoint chargePoint, GetCompositeScheduleRequest request) =>
        new(chargePoint.CompositeSchedule(request));
}
