using System.Data.Common;
using Dapper;

using OcppServer.Authorization;
using OcppServer.Authorization.Decisions;

namespace OcppServer.Storage.Sql;

/// <summary>The authorization decision log.</summary>
internal sealed class SqlDecisionStore(IRelationalDatabase database) : IDecisionStore
{
    public Task<long> InsertAsync(DecisionRecord decision, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<long>(InsertSql, decision, cancellationToken);

    /// <summary>Records a decision inside the caller's transaction (the one that acts on it); returns its id.</summary>
    internal static long Insert(DbConnection c, DbTransaction t, DecisionRecord decision) =>
        c.ExecuteScalar<long>(InsertSql, decision, t);

    private const string InsertSql =
        """
        INSERT INTO authorization_decisions (decided_at, charge_point_id, connector_id, id_tag, phase, result, driver_id,
            vehicle_id, transaction_id, reason, factors)
        VALUES (@DecidedAt, @ChargePointId, @ConnectorId, @IdTag, @Phase, @Result, @DriverId, @VehicleId, @TransactionId,
            @Reason, @Factors)
        RETURNING id
        """;

    public Task<IReadOnlyList<DecisionRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DecisionRecord>>(c => c.Query<DecisionRecord>(
            chargePointId is null ? ListSql : ListForChargePointSql, new { chargePointId, limit }).AsList(), cancellationToken);

    // By the charge point's index (charge_point_id, id): a transaction's decisions are among its charge point's.
    public Task<IReadOnlyList<DecisionRecord>> ListForTransactionAsync(string chargePointId, int transactionId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DecisionRecord>>(c => c.Query<DecisionRecord>(
            "SELECT * FROM authorization_decisions WHERE charge_point_id = @chargePointId AND transaction_id = @transactionId ORDER BY id DESC LIMIT @limit",
            new { chargePointId, transactionId, limit }).AsList(), cancellationToken);

    /// <summary>The most decisions one page holds (a larger limit is taken as this).</summary>
    internal const int MaxPageLimit = 500;

    public Task<IReadOnlyList<DecisionRecord>> ListAsync(DecisionFilter filter, long? before, int limit, CancellationToken cancellationToken)
    {
        string sql = FilteredListSql(filter);
        var parameters = new
        {
            before = before ?? long.MaxValue,
            limit = Math.Clamp(limit, 1, MaxPageLimit),
            accepted = nameof(AuthorizationOutcome.Accepted),
            reason = filter.Reason,
            driverId = filter.DriverId,
            stationId = filter.StationId,
            chargePointId = filter.ChargePointId,
            phase = filter.Phase,
        };
        return database.ReadAsync<IReadOnlyList<DecisionRecord>>(c => c.Query<DecisionRecord>(sql, parameters).AsList(), cancellationToken);
    }

    /// <summary>
    /// The statement for a filter: one condition per criterion given, each a fixed text with its parameter (never
    /// "(@x IS NULL OR x = @x)": SQLite plans a statement before it sees its parameters, and would scan the whole log).
    /// </summary>
    internal static string FilteredListSql(DecisionFilter filter)
    {
        var conditions = new List<string> { "id < @before" };
        if (filter.RefusedOnly)
        {
            conditions.Add("result <> @accepted");
        }

        if (filter.Reason is not null)
        {
            conditions.Add("reason = @reason");
        }

        if (filter.DriverId is not null)
        {
            conditions.Add("driver_id = @driverId");
        }

        if (filter.ChargePointId is not null)
        {
            conditions.Add("charge_point_id = @chargePointId");
        }

        if (filter.StationId is not null)
        {
            conditions.Add("charge_point_id IN (SELECT id FROM charge_points WHERE station_id = @stationId)");
        }

        if (filter.Phase is not null)
        {
            conditions.Add("phase = @phase");
        }

        return $"SELECT * FROM authorization_decisions WHERE {string.Join(" AND ", conditions)} ORDER BY id DESC LIMIT @limit";
    }

    public Task<DecisionRecord?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<DecisionRecord>("SELECT * FROM authorization_decisions WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<DecisionTally>> TallySinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DecisionTally>>(c => c.Query<(string Result, string Reason, long Count)>(
                "SELECT result, reason, COUNT(*) FROM authorization_decisions WHERE decided_at >= @since GROUP BY result, reason ORDER BY 3 DESC",
                new { since }).Select(r => new DecisionTally(r.Result, r.Reason, r.Count)).ToList(),
            cancellationToken);

    // Two texts for the index's sake, as in TransactionRepository.ListAsync.
    internal const string ListSql = "SELECT * FROM authorization_decisions ORDER BY id DESC LIMIT @limit";

    internal const string ListForChargePointSql =
        "SELECT * FROM authorization_decisions WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit";
}
