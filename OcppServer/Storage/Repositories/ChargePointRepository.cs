using System.Data.Common;
using Dapper;

namespace OcppServer.Storage.Repositories;

public sealed class ChargePointRepository(SqliteDatabase database)
{
    public Task<ChargePointRow?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<ChargePointRow>(
            "SELECT * FROM charge_points WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<ChargePointRow>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ChargePointRow>>(c => c.Query<ChargePointRow>(
            "SELECT * FROM charge_points ORDER BY id").AsList(), cancellationToken);

    /// <summary>Inserts a charge point; false when the id is already taken. (Nothing cached can be of an id not registered yet.)</summary>
    public Task<bool> InsertAsync(NewChargePoint chargePoint, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO charge_points (id, station_id, registration_status, password_hash, allow_unauthenticated, authorization_mode, created_at)
            VALUES (@Id, @StationId, @RegistrationStatus, @PasswordHash, @AllowUnauthenticated, @AuthorizationMode, @now)
            ON CONFLICT (id) DO NOTHING
            """,
            new { chargePoint.Id, chargePoint.StationId, chargePoint.RegistrationStatus, chargePoint.PasswordHash, chargePoint.AllowUnauthenticated,
                chargePoint.AuthorizationMode, now }, t) == 1, cancellationToken);

    /// <summary>The charge point's authorization mode (<see cref="ChargePointAuthorizationModes"/>), null when it is not registered.</summary>
    public async Task<string?> GetAuthorizationModeAsync(string id, CancellationToken cancellationToken) =>
        (await database.Registry.GetOrLoadAsync("charge_point_authorization", id, () => database.ReadAsync(c => c.QuerySingleOrDefault<string>(
            "SELECT authorization_mode FROM charge_points WHERE id = @id", new { id }), cancellationToken)));

    public Task<bool> SetAuthorizationModeAsync(string id, string mode, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET authorization_mode = @mode WHERE id = @id", new { id, mode }, t) == 1, cancellationToken));

    public Task<bool> SetPasswordHashAsync(string id, string? passwordHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET password_hash = @passwordHash WHERE id = @id", new { id, passwordHash }, t) == 1, cancellationToken);

    public Task<bool> SetRegistrationStatusAsync(string id, string registrationStatus, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET registration_status = @registrationStatus WHERE id = @id",
            new { id, registrationStatus }, t) == 1, cancellationToken);

    public Task RecordBootAsync(string id, BootInfo boot, string result, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            var parameters = new
            {
                id, boot.Vendor, boot.Model, boot.ChargePointSerial, boot.ChargeBoxSerial, boot.FirmwareVersion,
                boot.Iccid, boot.Imsi, boot.MeterType, boot.MeterSerial, result, now,
            };
            c.Execute(
                """
                UPDATE charge_points SET vendor = @Vendor, model = @Model, charge_point_serial = @ChargePointSerial,
                    charge_box_serial = @ChargeBoxSerial, firmware_version = @FirmwareVersion, iccid = @Iccid, imsi = @Imsi,
                    meter_type = @MeterType, meter_serial = @MeterSerial, last_boot_at = @now
                WHERE id = @id
                """, parameters, t);
            c.Execute(
                """
                INSERT INTO boot_history (charge_point_id, vendor, model, charge_point_serial, charge_box_serial,
                    firmware_version, iccid, imsi, meter_type, meter_serial, result, received_at)
                VALUES (@id, @Vendor, @Model, @ChargePointSerial, @ChargeBoxSerial, @FirmwareVersion, @Iccid, @Imsi,
                    @MeterType, @MeterSerial, @result, @now)
                """, parameters, t);
        }, cancellationToken);

    public Task RecordHeartbeatAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET last_heartbeat_at = @now WHERE id = @id", new { id, now }, t), cancellationToken);

    /// <summary>
    /// Stores the connector's status and its history row; <paramref name="inSameCommit"/> writes more in the same commit.
    /// <paramref name="occupied"/> (a vehicle at the connector) opens the connector's session if none is open, and keeps
    /// it; any other status ends it.
    /// </summary>
    public Task RecordStatusAsync(
        string id, ConnectorStatus status, bool occupied, DateTimeOffset now, CancellationToken cancellationToken,
        Action<DbConnection, DbTransaction>? inSameCommit = null) =>
        database.WriteAsync((c, t) =>
        {
            var parameters = new
            {
                id, status.ConnectorId, status.Status, status.ErrorCode, status.Info, status.VendorId,
                status.VendorErrorCode, status.StatusTimestamp, now, occupied,
            };
            c.Execute(
                """
                INSERT INTO connectors (charge_point_id, connector_id, status, error_code, info, vendor_id, vendor_error_code,
                    status_timestamp, updated_at, session_started_at)
                VALUES (@id, @ConnectorId, @Status, @ErrorCode, @Info, @VendorId, @VendorErrorCode, @StatusTimestamp, @now,
                    CASE WHEN @occupied THEN @now END)
                ON CONFLICT (charge_point_id, connector_id) DO UPDATE SET status = excluded.status,
                    error_code = excluded.error_code, info = excluded.info, vendor_id = excluded.vendor_id,
                    vendor_error_code = excluded.vendor_error_code, status_timestamp = excluded.status_timestamp,
                    updated_at = excluded.updated_at,
                    session_started_at = CASE WHEN @occupied THEN COALESCE(connectors.session_started_at, excluded.updated_at) END
                """, parameters, t);
            c.Execute(
                """
                INSERT INTO status_history (charge_point_id, connector_id, status, error_code, info, vendor_id,
                    vendor_error_code, status_timestamp, received_at)
                VALUES (@id, @ConnectorId, @Status, @ErrorCode, @Info, @VendorId, @VendorErrorCode, @StatusTimestamp, @now)
                """, parameters, t);
            inSameCommit?.Invoke(c, t);
        }, cancellationToken);

    public Task<IReadOnlyList<ConnectorRow>> GetConnectorsAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConnectorRow>>(c => c.Query<ConnectorRow>(
            "SELECT * FROM connectors WHERE charge_point_id = @id ORDER BY connector_id", new { id }).AsList(), cancellationToken);

    /// <summary>Every charge point's connectors, for listing all charge points without a query per charge point.</summary>
    public Task<IReadOnlyList<ConnectorRow>> GetAllConnectorsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConnectorRow>>(c => c.Query<ConnectorRow>(
            "SELECT * FROM connectors ORDER BY charge_point_id, connector_id").AsList(), cancellationToken);

    /// <summary>Records a FirmwareStatusNotification or DiagnosticsStatusNotification.</summary>
    public Task RecordFirmwareOrDiagnosticsStatusAsync(
        string id, bool firmware, string status, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute(
                firmware
                    ? "UPDATE charge_points SET firmware_status = @status, firmware_status_at = @now WHERE id = @id"
                    : "UPDATE charge_points SET diagnostics_status = @status, diagnostics_status_at = @now WHERE id = @id",
                new { id, status, now }, t);
            c.Execute(
                "INSERT INTO firmware_diagnostics_history (charge_point_id, kind, status, received_at) VALUES (@id, @kind, @status, @now)",
                new { id, kind = firmware ? "Firmware" : "Diagnostics", status, now }, t);
        }, cancellationToken);

    public Task RecordDataTransferAsync(DataTransferRow transfer, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(InsertDataTransferSql, transfer, t), cancellationToken);

    /// <summary>Also run by the writes that record a DataTransfer's evidence, so that both are one commit.</summary>
    internal const string InsertDataTransferSql =
        """
        INSERT INTO data_transfers (charge_point_id, vendor_id, message_id, data, status, received_at)
        VALUES (@ChargePointId, @VendorId, @MessageId, @Data, @Status, @ReceivedAt)
        """;
}
