using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted for a CA certificate valid now; Rejected otherwise (a central system root: and a security event); Failed when the store is full.</summary>
internal sealed class InstallCertificateHandler : ServerCallHandler<InstallCertificateRequest>
{
    public override string Action => "InstallCertificate";

    protected override HandlerResult Handle(ChargePoint chargePoint, InstallCertificateRequest request)
    {
        var (status, then) = chargePoint.InstallCertificate(request);
        return new(new InstallCertificateResponse(status), then);
    }
}
