using Dapper;

namespace OcppServer.Storage.Repositories;

public sealed class StationRepository(SqliteDatabase database)
{
    public Task<bool> InsertAsync(StationRow station, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO stations (id, name, policy, created_at) VALUES (@Id, @Name, @Policy, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, station, t) == 1, cancellationToken);

    public Task<bool> SetPolicyAsync(string id, string? policy, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE stations SET policy = @policy WHERE id = @id", new { id, policy }, t) == 1, cancellationToken);

    public Task<StationRow?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<StationRow>("SELECT * FROM stations WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<StationRow>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StationRow>>(c => c.Query<StationRow>("SELECT * FROM stations ORDER BY id").AsList(), cancellationToken);

    /// <summary>The station a charge point belongs to, if any.</summary>
    public Task<StationRow?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<StationRow>(
            "SELECT s.* FROM stations s JOIN charge_points cp ON cp.station_id = s.id WHERE cp.id = @chargePointId",
            new { chargePointId }), cancellationToken);
}
