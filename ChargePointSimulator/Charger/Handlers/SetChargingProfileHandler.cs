using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Stores the profile (it limits the simulated power at once) or Rejects it when it breaks the smart-charging keys.</summary>
internal sealed class SetChargingProfileHandler : ServerCallHandler<SetChargingProfileRequest>
{
    public override string Action => "SetChargingProfile";

    protected override HandlerResult Handle(ChargePoint chargePoint, SetChargingProfileRequest request) =>
        new(new SetChargingProfileResponse(chargePoint.SetChargingProfile(request.ConnectorId, request.CsChargingProfiles)));
}
