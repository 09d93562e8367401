using System.Data.Common;
using OcppServer.Storage.Repositories;

namespace OcppServer.ChargePoints;

/// <summary>Work to do once a charge point's BootNotification has been answered Accepted (e.g. pushing configuration).</summary>
public interface IChargePointBootObserver
{
    Task OnBootAcceptedAsync(string chargePointId, CancellationToken cancellationToken);
}

/// <summary>
/// Reacts to a connector status inside the database transaction that stores it (e.g. discarding evidence when a cable
/// is unplugged): what it writes commits together with the status, or not at all.
/// </summary>
public interface IConnectorStatusObserver
{
    void OnStatus(DbConnection connection, DbTransaction transaction, string chargePointId, ConnectorStatus status, DateTimeOffset now);
}

/// <summary>Reacts to a StopTransaction inside the database transaction that stores it (e.g. discarding the connector's evidence).</summary>
public interface ITransactionStopObserver
{
    void OnTransactionStopped(DbConnection connection, DbTransaction transaction, string chargePointId, int connectorId, int transactionId, DateTimeOffset now);
}
