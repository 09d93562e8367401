using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>The hash data (SHA-256) of the installed CA certificates of the requested type, or NotFound.</summary>
internal sealed class GetInstalledCertificateIdsHandler : ServerCallHandler<GetInstalledCertificateIdsRequest>
{
    public override string Action => "GetInstalledCertificateIds";

    protected override HandlerResult Handle(ChargePoint chargePoint, GetInstalledCertificateIdsRequest request) =>
        new(chargePoint.InstalledCertificateIds(request));
}
