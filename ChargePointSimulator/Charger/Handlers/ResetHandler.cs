using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted, then reboots: Soft stops transactions first (reason SoftReset), Hard drops the connection at once.</summary>
internal sealed class ResetHandler : ServerCallHandler<ResetRequest>
{
    public override string Action => "Reset";

    protected override HandlerResult Handle(ChargePoint chargePoint, ResetRequest request) =>
        new(new StatusResponse(AcceptedOrRejected.Accepted), ct => chargePoint.ResetAsync(request.Type, ct));
}
