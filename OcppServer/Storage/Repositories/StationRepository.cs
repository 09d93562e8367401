using Dapper;

namespace OcppServer.Storage.Repositories;

/// <summary>
/// Stations and their policies. The station of a charge point is read on nearly every message of a charging session
/// (five times per three-factor journey), and a station by id twice per pre-verification, so both are kept in the
/// <see cref="RegistryCache"/>: a charge point's station never changes after its registration, and every write to a
/// station clears the cache once it is committed.
/// </summary>
public sealed class StationRepository(SqliteDatabase database)
{
    public Task<bool> InsertAsync(StationRow station, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO stations (id, name, policy, created_at) VALUES (@Id, @Name, @Policy, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, station, t) == 1, cancellationToken));

    public Task<bool> SetPolicyAsync(string id, string? policy, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE stations SET policy = @policy WHERE id = @id", new { id, policy }, t) == 1, cancellationToken));

    public Task<StationRow?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("station", id, () => database.ReadAsync(c => c.QuerySingleOrDefault<StationRow>(
            "SELECT * FROM stations WHERE id = @id", new { id }), cancellationToken));

    public Task<IReadOnlyList<StationRow>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StationRow>>(c => c.Query<StationRow>("SELECT * FROM stations ORDER BY id").AsList(), cancellationToken);

    /// <summary>The station a charge point belongs to, if any (a charge point without one is not kept: it may be registered into one later).</summary>
    public Task<StationRow?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("station_of_charge_point", chargePointId, () => database.ReadAsync(c => c.QuerySingleOrDefault<StationRow>(
            "SELECT s.* FROM stations s JOIN charge_points cp ON cp.station_id = s.id WHERE cp.id = @chargePointId",
            new { chargePointId }), cancellationToken));
}
