using System.Data.Common;
using Dapper;

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
