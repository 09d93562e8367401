using Dapper;
using OcppServer.Authorization.Hardening;

namespace OcppServer.Storage.Sql;

/// <summary>What chargers answered to the offline-bypass hardening, one row per charge point and setting.</summary>
internal sealed class SqlHardeningStore(IRelationalDatabase database) : IHardeningStore
{
    public Task RecordAsync(HardeningAnswer row, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO charge_point_hardening (charge_point_id, setting, value, status, answered_at)
            VALUES (@ChargePointId, @Setting, @Value, @Status, @AnsweredAt)
            ON CONFLICT (charge_point_id, setting) DO UPDATE SET value = excluded.value, status = excluded.status,
                answered_at = excluded.answered_at
            """, row, t), cancellationToken);

    public Task<IReadOnlyList<HardeningAnswer>> GetAllAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<HardeningAnswer>>(c => c.Query<HardeningAnswer>(
            "SELECT * FROM charge_point_hardening ORDER BY charge_point_id, setting").AsList(), cancellationToken);

    public Task<IReadOnlyList<HardeningAnswer>> GetAsync(string chargePointId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<HardeningAnswer>>(c => c.Query<HardeningAnswer>(
            "SELECT * FROM charge_point_hardening WHERE charge_point_id = @chargePointId ORDER BY setting",
            new { chargePointId }).AsList(), cancellationToken);
}
