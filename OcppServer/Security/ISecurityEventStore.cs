namespace OcppServer.Security;

/// <summary>Where security events are kept. Every write is committed before its task completes.</summary>
public interface ISecurityEventStore
{
    /// <summary>Stores <paramref name="events"/> and keeps at most <paramref name="maxRows"/> events, dropping the oldest.</summary>
    Task InsertAsync(IReadOnlyList<SecurityEvent> events, DateTimeOffset recordedAt, int maxRows, CancellationToken cancellationToken);

    /// <summary>The newest events first (in the order they were recorded), of one charge point or of all.</summary>
    Task<IReadOnlyList<SecurityEventRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken);
}
