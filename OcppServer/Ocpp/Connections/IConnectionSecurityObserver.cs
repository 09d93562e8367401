namespace OcppServer.Ocpp.Connections;

/// <summary>
/// Told of what the transport notices that may matter for security; the edge (<c>Handlers/</c>) decides what to record.
/// Called on the connection's path: must not block or throw.
/// </summary>
public interface IConnectionSecurityObserver
{
    /// <summary>A new connection of the same identity replaced <paramref name="replaced"/> (which is being closed).</summary>
    void OnReplaced(ChargePointConnection replaced, ChargePointConnection replacement);
}
