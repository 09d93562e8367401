using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class ClearChargingProfileHandler : ServerCallHandler<ClearChargingProfileRequest>
{
    public override string Action => "ClearChargingProfile";

    protected override HandlerResult Handle(ChargePoint chargePoint, ClearChargingProfileRequest request) =>
        new(new ClearChargingProfileResponse(chargePoint.ClearChargingProfile(request)));
}
