namespace OcppServer.ChargePoints;

/// <summary>Charge points, their connectors and what they report about themselves. Every write is committed before its task completes.</summary>
public interface IChargePointStore
{
    Task<ChargePointRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChargePointRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Registers a charge point; false when the id is already taken.</summary>
    Task<bool> RegisterAsync(NewChargePoint chargePoint, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The charge point's authorization mode (<see cref="ChargePointAuthorizationModes"/>), null when it is not registered.</summary>
    Task<string?> GetAuthorizationModeAsync(string id, CancellationToken cancellationToken);

    Task<bool> SetAuthorizationModeAsync(string id, string mode, CancellationToken cancellationToken);

    /// <summary>
    /// Raises the security profile to <paramref name="profile"/>; false when the charge point is not registered or its
    /// profile is already that high (profiles are never lowered this way). A raised charge point no longer may connect
    /// unauthenticated, whatever becomes of its password.
    /// </summary>
    Task<bool> RaiseSecurityProfileAsync(string id, int profile, CancellationToken cancellationToken);

    /// <summary>
    /// Sets (or removes) the password an operator gave; an AuthorizationKey rotation under way is dropped. A password
    /// given to a charge point of profile 0 makes it profile 1; removing the password of a profile-1 charge point that may
    /// connect unauthenticated makes it profile 0 again.
    /// </summary>
    Task<bool> SetPasswordHashAsync(string id, string? passwordHash, CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="pendingHash"/> as a second key that admits the charger while it is told of it.</summary>
    Task<bool> SetPendingPasswordHashAsync(string id, string pendingHash, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="passwordHash"/> the key (the charger took it) and ends any rotation, in one write.</summary>
    Task<bool> CommitPasswordHashAsync(string id, string passwordHash, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the pending key the key, if it is still <paramref name="pendingHash"/> (the charger connected with it); false
    /// when another write changed it first.
    /// </summary>
    Task<bool> PromotePendingPasswordHashAsync(string id, string pendingHash, CancellationToken cancellationToken);

    /// <summary>Drops the pending key if it is still <paramref name="pendingHash"/> (the charger refused it).</summary>
    Task<bool> ClearPendingPasswordHashAsync(string id, string pendingHash, CancellationToken cancellationToken);

    Task<bool> SetRegistrationStatusAsync(string id, string registrationStatus, CancellationToken cancellationToken);

    /// <summary>Records a BootNotification (the charger's identity fields and a history row) with the answer given.</summary>
    Task RecordBootAsync(string id, BootInfo boot, string result, DateTimeOffset now, CancellationToken cancellationToken);

    Task RecordHeartbeatAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records a connector's status and its history row. With <paramref name="vehicleAtConnector"/> the connector's
    /// session opens (if none is open) or goes on; without it the session ends and every piece of evidence given on the
    /// connector (VIN reports, biometric tokens) is discarded, in the same commit as the status (<see cref="ConnectorSessions"/>).
    /// </summary>
    Task RecordStatusAsync(string id, ConnectorStatus status, bool vehicleAtConnector, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConnectorRecord>> GetConnectorsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every charge point's connectors, for listing all charge points without a query per charge point.</summary>
    Task<IReadOnlyList<ConnectorRecord>> GetAllConnectorsAsync(CancellationToken cancellationToken);

    /// <summary>Records a FirmwareStatusNotification (<paramref name="firmware"/>) or a DiagnosticsStatusNotification.</summary>
    Task RecordFirmwareOrDiagnosticsStatusAsync(string id, bool firmware, string status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Logs a DataTransfer that carried no evidence (evidence is logged with its DataTransfer by <c>IEvidenceStore</c>).</summary>
    Task RecordDataTransferAsync(DataTransferRecord transfer, CancellationToken cancellationToken);
}
