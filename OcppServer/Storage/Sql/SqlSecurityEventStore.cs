using Dapper;

using OcppServer.Security;

namespace OcppServer.Storage.Sql;

internal sealed class SqlSecurityEventStore(IRelationalDatabase database) : ISecurityEventStore
{
    public Task InsertAsync(IReadOnlyList<SecurityEvent> events, DateTimeOffset recordedAt, int maxRows, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute(
                """
                INSERT INTO security_events (charge_point_id, source, type, tech_info, remote_address, occurred_at, recorded_at)
                VALUES (@ChargePointId, @Source, @Type, @TechInfo, @RemoteAddress, @OccurredAt, @recordedAt)
                """,
                events.Select(e => new { e.ChargePointId, Source = e.Source.ToString(), e.Type, e.TechInfo, e.RemoteAddress, e.OccurredAt, recordedAt }),
                t);
            c.Execute("DELETE FROM security_events WHERE id <= (SELECT MAX(id) FROM security_events) - @maxRows", new { maxRows }, t);
        }, cancellationToken);

    public Task<IReadOnlyList<SecurityEventRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<SecurityEventRecord>>(c => c.Query<SecurityEventRecord>(
            chargePointId is null ? ListSql : ListForChargePointSql, new { chargePointId, limit }).AsList(), cancellationToken);

    // Two texts for the index's sake, as in SqlDecisionStore.ListAsync.
    private const string ListSql = "SELECT * FROM security_events ORDER BY id DESC LIMIT @limit";

    private const string ListForChargePointSql = "SELECT * FROM security_events WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit";
}
