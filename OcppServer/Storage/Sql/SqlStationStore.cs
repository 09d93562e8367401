using Dapper;

using OcppServer.Registry;

namespace OcppServer.Storage.Sql;

/// <summary>
/// Stations and their policies. The station of a charge point is read on nearly every message of a charging session
/// (five times per three-factor journey), and a station by id twice per pre-verification, so both are kept in the
/// <see cref="RegistryCache"/>: a charge point's station never changes after its registration, and every write to a
/// station clears the cache once it is committed.
/// </summary>
internal sealed class SqlStationStore(IRelationalDatabase database) : IStationStore
{
    public Task<bool> InsertAsync(StationRecord station, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO stations (id, name, policy, plate_region, created_at) VALUES (@Id, @Name, @Policy, @PlateRegion, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, station, t) == 1, cancellationToken));

    public Task<bool> SetPolicyAsync(string id, string? policy, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE stations SET policy = @policy WHERE id = @id", new { id, policy }, t) == 1, cancellationToken));

    public Task<bool> SetPlateRegionAsync(string id, string? plateRegion, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE stations SET plate_region = @plateRegion WHERE id = @id", new { id, plateRegion }, t) == 1, cancellationToken));

    public Task<StationRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("station", id, () => database.ReadAsync(c => c.QuerySingleOrDefault<StationRecord>(
            "SELECT * FROM stations WHERE id = @id", new { id }), cancellationToken));

    public Task<IReadOnlyList<StationRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StationRecord>>(c => c.Query<StationRecord>("SELECT * FROM stations ORDER BY id").AsList(), cancellationToken);

    /// <summary>The station a charge point belongs to, if any (a charge point without one is not kept: it may be registered into one later).</summary>
    public Task<StationRecord?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("station_of_charge_point", chargePointId, () => database.ReadAsync(c => c.QuerySingleOrDefault<StationRecord>(
            "SELECT s.* FROM stations s JOIN charge_points cp ON cp.station_id = s.id WHERE cp.id = @chargePointId",
            new { chargePointId }), cancellationToken));
}
