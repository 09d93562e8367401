using OcppServer.ChargePoints;

namespace OcppServer.Security;

/// <summary>Delivers a certificate chain signed for a charger (CertificateSigned, OCPP 1.6 security whitepaper).</summary>
public interface IChargerCertificates
{
    Task<ChargerAnswer> SendCertificateChainAsync(string chargePointId, string certificateChainPem, CancellationToken cancellationToken);
}
