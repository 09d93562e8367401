namespace OcppServer.Security;

/// <summary>
/// The security event log every part of the server writes to (the handshake, the hardening, the charge point's own
/// SecurityEventNotification) and the API reads. Behind it is a store that several nodes can share.
/// </summary>
public interface ISecurityEventLog
{
    /// <summary>
    /// Records an event the server noticed, without waiting: it is queued and stored in the background. Never blocks or
    /// throws; when the queue is full (an attack producing events faster than they can be stored) the event is dropped
    /// and counted, so that refusing an attacker never costs a write each.
    /// </summary>
    void Raise(SecurityEvent securityEvent);

    /// <summary>Stores an event and completes once it is committed (a charge point is answered only after that).</summary>
    Task RecordAsync(SecurityEvent securityEvent, CancellationToken cancellationToken);

    Task<IReadOnlyList<SecurityEventRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken);
}
