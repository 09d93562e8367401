using OcppServer.Storage.Repositories;

namespace OcppServer.ChargePoints;

/// <summary>Work to do once a charge point's BootNotification has been answered Accepted (e.g. pushing configuration).</summary>
public interface IChargePointBootObserver
{
    Task OnBootAcceptedAsync(string chargePointId, CancellationToken cancellationToken);
}

/// <summary>Reacts to a stored connector status (e.g. discarding evidence when a cable is unplugged).</summary>
public interface IConnectorStatusObserver
{
    Task OnStatusAsync(string chargePointId, ConnectorStatus status, CancellationToken cancellationToken);
}

/// <summary>Reacts to a stored StopTransaction (e.g. discarding the connector's evidence).</summary>
public interface ITransactionStopObserver
{
    Task OnTransactionStoppedAsync(string chargePointId, int connectorId, int transactionId, CancellationToken cancellationToken);
}
