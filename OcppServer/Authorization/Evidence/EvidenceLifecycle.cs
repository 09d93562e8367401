using OcppServer.ChargePoints;
using OcppServer.Storage.Repositories;

namespace OcppServer.Authorization.Evidence;

/// <summary>
/// Evidence from one vehicle must never serve the next: a connector's VIN and biometric evidence is discarded when it
/// reports Available (cable unplugged) and when its transaction stops. Ageing out is handled by the evidence window.
/// </summary>
public sealed class EvidenceLifecycle(EvidenceRepository evidence, TimeProvider time) : IConnectorStatusObserver, ITransactionStopObserver
{
    public async Task OnStatusAsync(string chargePointId, ConnectorStatus status, CancellationToken cancellationToken)
    {
        if (status.Status == "Available" && status.ConnectorId > 0)
        {
            await evidence.DiscardAsync(chargePointId, status.ConnectorId, time.GetUtcNow(), cancellationToken);
        }
    }

    public async Task OnTransactionStoppedAsync(string chargePointId, int connectorId, int transactionId, CancellationToken cancellationToken)
    {
        if (connectorId > 0)
        {
            await evidence.DiscardAsync(chargePointId, connectorId, time.GetUtcNow(), cancellationToken);
        }
    }
}
