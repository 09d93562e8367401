using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted, or Scheduled when a transaction runs on an affected connector (applied when it ends).</summary>
internal sealed class ChangeAvailabilityHandler : ServerCallHandler<ChangeAvailabilityRequest>
{
    public override string Action => "ChangeAvailability";

    protected override HandlerResult Handle(ChargePoint chargePoint, ChangeAvailabilityRequest request) =>
        new(new ChangeAvailabilityResponse(chargePoint.ChangeAvailability(request.ConnectorId, request.Type)));
}
