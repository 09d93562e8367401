using System.Data.Common;
using Dapper;

namespace OcppServer.Storage.Repositories;

/// <summary>The authorization decision log and what chargers answered to the offline-bypass hardening.</summary>
public sealed class DecisionRepository(SqliteDatabase database)
{
    public Task<long> InsertAsync(DecisionRow decision, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => Insert(c, t, decision), cancellationToken);

    /// <summary>Records a decision inside the caller's transaction (the one that acts on it); returns its id.</summary>
    public static long Insert(DbConnection c, DbTransaction t, DecisionRow decision) =>
        c.ExecuteScalar<long>(
            """
            INSERT INTO authorization_decisions (decided_at, charge_point_id, connector_id, id_tag, phase, result, driver_id,
                vehicle_id, transaction_id, reason, factors)
            VALUES (@DecidedAt, @ChargePointId, @ConnectorId, @IdTag, @Phase, @Result, @DriverId, @VehicleId, @TransactionId,
                @Reason, @Factors)
            RETURNING id
            """, decision, t);

    public Task<IReadOnlyList<DecisionRow>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DecisionRow>>(c => c.Query<DecisionRow>(
            chargePointId is null ? ListSql : ListForChargePointSql, new { chargePointId, limit }).AsList(), cancellationToken);

    // Two texts for the index's sake, as in TransactionRepository.ListAsync.
    internal const string ListSql = "SELECT * FROM authorization_decisions ORDER BY id DESC LIMIT @limit";

    internal const string ListForChargePointSql =
        "SELECT * FROM authorization_decisions WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit";

    public Task RecordHardeningAsync(HardeningRow row, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO charge_point_hardening (charge_point_id, setting, value, status, answered_at)
            VALUES (@ChargePointId, @Setting, @Value, @Status, @AnsweredAt)
            ON CONFLICT (charge_point_id, setting) DO UPDATE SET value = excluded.value, status = excluded.status,
                answered_at = excluded.answered_at
            """, row, t), cancellationToken);

    public Task<IReadOnlyList<HardeningRow>> GetAllHardeningAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<HardeningRow>>(c => c.Query<HardeningRow>(
            "SELECT * FROM charge_point_hardening ORDER BY charge_point_id, setting").AsList(), cancellationToken);

    public Task<IReadOnlyList<HardeningRow>> GetHardeningAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<HardeningRow>>(c => c.Query<HardeningRow>(
            "SELECT * FROM charge_point_hardening WHERE charge_point_id = @chargePointId ORDER BY setting",
            new { chargePointId }).AsList(), cancellationToken);
}
