using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>
/// Accepted, then Downloading, Downloaded, SignatureVerified (or InvalidSignature), Installing, InstallRebooting, a reboot
/// and Installed; InvalidCertificate for a signing certificate the charger does not accept.
/// </summary>
internal sealed class SignedUpdateFirmwareHandler : ServerCallHandler<SignedUpdateFirmwareRequest>
{
    public override string Action => "SignedUpdateFirmware";

    protected override HandlerResult Handle(ChargePoint chargePoint, SignedUpdateFirmwareRequest request)
    {
        var (status, then) = chargePoint.SignedUpdateFirmware(request);
        return new(new SignedUpdateFirmwareResponse(status), then);
    }
}
