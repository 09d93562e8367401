using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted when the chain fits the charger's last signing request and a CA it trusts (it reconnects with it at profile 3), else Rejected and a security event.</summary>
internal sealed class CertificateSignedHandler : ServerCallHandler<CertificateSignedRequest>
{
    public override string Action => "CertificateSigned";

    protected override HandlerResult Handle(ChargePoint chargePoint, CertificateSignedRequest request)
    {
        var (status, then) = chargePoint.InstallSignedCertificate(request.CertificateChain);
        return new(new CertificateSignedResponse(status), then);
    }
}
