using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted, then the requested message (SignChargePointCertificate: a new key pair and SignCertificate).</summary>
internal sealed class ExtendedTriggerMessageHandler : ServerCallHandler<ExtendedTriggerMessageRequest>
{
    public override string Action => "ExtendedTriggerMessage";

    protected override HandlerResult Handle(ChargePoint chargePoint, ExtendedTriggerMessageRequest request)
    {
        var (status, then) = chargePoint.ExtendedTrigger(request);
        return new(new ExtendedTriggerMessageResponse(status), then);
    }
}
