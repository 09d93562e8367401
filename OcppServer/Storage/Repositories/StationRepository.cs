using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace OcppServer.Storage.Repositories;

/// <summary>
/// Stations and their policies. The station of a charge point is read on nearly every message of a charging session
/// (five times per three-factor journey), and a station by id twice per pre-verification, so both are cached: a charge
/// point's station never changes after its registration, and every write to a station clears the cache once it is
/// committed.
/// </summary>
public sealed class StationRepository(SqliteDatabase database)
{
    private readonly ConcurrentDictionary<string, StationRow> _byChargePoint = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StationRow> _byId = new(StringComparer.Ordinal);
    private readonly Lock _cacheGate = new();
    private long _version;

    public async Task<bool> InsertAsync(StationRow station, CancellationToken cancellationToken)
    {
        bool inserted = await database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO stations (id, name, policy, created_at) VALUES (@Id, @Name, @Policy, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, station, t) == 1, cancellationToken);
        Invalidate();
        return inserted;
    }

    public async Task<bool> SetPolicyAsync(string id, string? policy, CancellationToken cancellationToken)
    {
        bool updated = await database.WriteAsync((c, t) => c.Execute(
            "UPDATE stations SET policy = @policy WHERE id = @id", new { id, policy }, t) == 1, cancellationToken);
        Invalidate();
        return updated;
    }

    public Task<StationRow?> GetAsync(string id, CancellationToken cancellationToken) =>
        GetCachedAsync(_byId, id, c => c.QuerySingleOrDefault<StationRow>("SELECT * FROM stations WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<StationRow>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<StationRow>>(c => c.Query<StationRow>("SELECT * FROM stations ORDER BY id").AsList(), cancellationToken);

    /// <summary>The station a charge point belongs to, if any.</summary>
    public Task<StationRow?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken) =>
        GetCachedAsync(_byChargePoint, chargePointId, c => c.QuerySingleOrDefault<StationRow>(
            "SELECT s.* FROM stations s JOIN charge_points cp ON cp.station_id = s.id WHERE cp.id = @chargePointId",
            new { chargePointId }), cancellationToken);

    private async Task<StationRow?> GetCachedAsync(
        ConcurrentDictionary<string, StationRow> cache, string key, Func<DbConnection, StationRow?> query, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        long version;
        lock (_cacheGate)
        {
            version = _version;
        }

        var station = await database.ReadAsync(query, cancellationToken);
        // Not kept when a station changed while it was read (it may be the old row). A miss is not kept either: the
        // station may be created, or the charge point registered into one, later.
        if (station is not null)
        {
            lock (_cacheGate)
            {
                if (_version == version)
                {
                    cache.TryAdd(key, station);
                }
            }
        }

        return station;
    }

    // Under the same lock as the add: a read that began before this write cannot add the old row afterwards.
    private void Invalidate()
    {
        lock (_cacheGate)
        {
            _version++;
            _byChargePoint.Clear();
            _byId.Clear();
        }
    }
}
