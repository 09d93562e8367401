using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Empty answer, then Downloading, Downloaded, Installing, Installed and a reboot.</summary>
internal sealed class UpdateFirmwareHandler : ServerCallHandler<UpdateFirmwareRequest>
{
    public override string Action => "UpdateFirmware";

    protected override HandlerResult Handle(ChargePoint chargePoint, UpdateFirmwareRequest request) =>
        new(new EmptyResponse(), chargePoint.UpdateFirmware(request));
}
