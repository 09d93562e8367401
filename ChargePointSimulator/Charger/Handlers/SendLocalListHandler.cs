using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class SendLocalListHandler : ServerCallHandler<SendLocalListRequest>
{
    public override string Action => "SendLocalList";

    protected override HandlerResult Handle(ChargePoint chargePoint, SendLocalListRequest request) =>
        new(new SendLocalListResponse(chargePoint.SendLocalList(request)));
}
