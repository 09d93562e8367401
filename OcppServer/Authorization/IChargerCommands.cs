namespace OcppServer.Authorization;

/// <summary>
/// What the gate asks of a charger: start or stop a session it decided on, and close the charger's offline bypass paths.
/// The OCPP edge carries each out as the matching 1.6 call (<c>Commands/OcppChargerCommands</c>). Each returns what the
/// charger answered (its OCPP status name, e.g. Accepted, Rejected, RebootRequired, NotSupported) or, when the call
/// failed, why (the charger's CALLERROR code, or NotConnected, Timeout, InvalidResponse, ...): a failure is an answer
/// the gate records, never an exception.
/// </summary>
public interface IChargerCommands
{
    Task<string> RemoteStartAsync(string chargePointId, int connectorId, string idTag, CancellationToken cancellationToken);

    Task<string> RemoteStopAsync(string chargePointId, int transactionId, CancellationToken cancellationToken);

    Task<string> ChangeConfigurationAsync(string chargePointId, string key, string value, CancellationToken cancellationToken);

    Task<string> ClearCacheAsync(string chargePointId, CancellationToken cancellationToken);
}
