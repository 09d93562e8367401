using System.Data.Common;
using OcppServer.ChargePoints;
using OcppServer.Storage.Repositories;

namespace OcppServer.Authorization.Evidence;

/// <summary>
/// Evidence from one vehicle must never serve the next: a connector's session ends, and its VIN and biometric evidence
/// is discarded, when it reports a status without a vehicle (Available, Faulted, Unavailable, Reserved, Finishing;
/// <see cref="ConnectorSessions"/>) and when its transaction stops, in the same commit as that status or stop. A reboot
/// or a new connection ends every session of the charge point. Ageing out is handled by the evidence window.
/// </summary>
public sealed class EvidenceLifecycle : IConnectorStatusObserver, ITransactionStopObserver
{
    public void OnStatus(DbConnection connection, DbTransaction transaction, string chargePointId, ConnectorStatus status, DateTimeOffset now)
    {
        if (!ConnectorSessions.IsOccupied(status.Status) && status.ConnectorId > 0)
        {
            EvidenceRepository.Discard(connection, transaction, chargePointId, status.ConnectorId, now);
        }
    }

    public void OnTransactionStopped(DbConnection connection, DbTransaction transaction, string chargePointId, int connectorId, int transactionId, DateTimeOffset now)
    {
        if (connectorId > 0)
        {
            EvidenceRepository.Discard(connection, transaction, chargePointId, connectorId, now);
        }
    }
}
