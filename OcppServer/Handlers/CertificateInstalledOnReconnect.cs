using OcppServer.Ocpp.Connections;
using OcppServer.Security;

namespace OcppServer.Handlers;

/// <summary>
/// A charger that took a certificate in CertificateSigned reconnects with it at once (OCA TC_074), sometimes before its
/// answer reached the server: connecting with it confirms the installation.
/// </summary>
public sealed class CertificateInstalledOnReconnect(ChargePointCertificateSigner signer) : IChargePointConnectionObserver
{
    public Task OnConnectedAsync(ChargePointConnection connection, CancellationToken cancellationToken) =>
        connection.Admission.CertificateSerialNumber is { } serialNumber
            ? signer.ConfirmConnectedWithAsync(connection.ChargePointId, serialNumber, cancellationToken)
            : Task.CompletedTask;
}
