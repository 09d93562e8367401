using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted, then the requested message is sent.</summary>
internal sealed class TriggerMessageHandler : ServerCallHandler<TriggerMessageRequest>
{
    public override string Action => "TriggerMessage";

    protected override HandlerResult Handle(ChargePoint chargePoint, TriggerMessageRequest request)
    {
        var (status, then) = chargePoint.Trigger(request);
        return new(new TriggerMessageResponse(status), then);
    }
}
