namespace OcppServer.Ocpp.Connections;

/// <summary>
/// Which node holds each charge point's socket. One node holds them all by itself (<see cref="SingleNodeOwnership"/>);
/// with several nodes, a shared directory with leases (<c>Cluster/RedisConnectionOwnership</c>) makes the newest
/// connection of an identity the only one, whichever node it reached.
/// </summary>
public interface IConnectionOwnership
{
    /// <summary>
    /// Claims the identity for a connection just registered on this node; false when a newer connection of the same
    /// identity already holds it elsewhere (this one must then close).
    /// </summary>
    Task<bool> ClaimAsync(ChargePointConnection connection, CancellationToken cancellationToken);

    /// <summary>Gives the claim up when the connection ends (unless a newer connection took it over).</summary>
    Task ReleaseAsync(ChargePointConnection connection);
}

/// <summary>One node: the connection registry alone decides which socket is live.</summary>
public sealed class SingleNodeOwnership : IConnectionOwnership
{
    public Task<bool> ClaimAsync(ChargePointConnection connection, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task ReleaseAsync(ChargePointConnection connection) => Task.CompletedTask;
}
