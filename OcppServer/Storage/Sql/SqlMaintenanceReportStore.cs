using Dapper;

using OcppServer.Maintenance;

namespace OcppServer.Storage.Sql;

internal sealed class SqlMaintenanceReportStore(IRelationalDatabase database) : IMaintenanceReportStore
{
    public Task RecordAsync(MaintenanceReport report, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO maintenance_reports (charge_point_id, kind, status, request_id, received_at)
            VALUES (@ChargePointId, @Kind, @Status, @RequestId, @ReceivedAt)
            """, report, t), cancellationToken);

    public Task<IReadOnlyList<MaintenanceReport>> ListAsync(string chargePointId, string kind, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MaintenanceReport>>(c => c.Query<MaintenanceReport>(
            "SELECT * FROM maintenance_reports WHERE charge_point_id = @chargePointId AND kind = @kind ORDER BY id DESC LIMIT @limit",
            new { chargePointId, kind, limit }).AsList(), cancellationToken);
}
