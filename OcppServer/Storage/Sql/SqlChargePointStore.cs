using Dapper;

using OcppServer.ChargePoints;

namespace OcppServer.Storage.Sql;

internal sealed class SqlChargePointStore(IRelationalDatabase database) : IChargePointStore
{
    public Task<ChargePointRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<ChargePointRecord>(
            "SELECT * FROM charge_points WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<ChargePointRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ChargePointRecord>>(c => c.Query<ChargePointRecord>(
            "SELECT * FROM charge_points ORDER BY id").AsList(), cancellationToken);

    // Nothing cached can be of an id not registered yet.
    public Task<bool> RegisterAsync(NewChargePoint chargePoint, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO charge_points (id, station_id, registration_status, password_hash, allow_unauthenticated, authorization_mode, security_profile, created_at)
            VALUES (@Id, @StationId, @RegistrationStatus, @PasswordHash, @AllowUnauthenticated, @AuthorizationMode, @SecurityProfile, @now)
            ON CONFLICT (id) DO NOTHING
            """,
            new { chargePoint.Id, chargePoint.StationId, chargePoint.RegistrationStatus, chargePoint.PasswordHash, chargePoint.AllowUnauthenticated,
                chargePoint.AuthorizationMode, chargePoint.SecurityProfile, now }, t) == 1, cancellationToken);

    public Task<bool> RaiseSecurityProfileAsync(string id, int profile, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET security_profile = @profile, allow_unauthenticated = FALSE WHERE id = @id AND security_profile < @profile",
            new { id, profile }, t) == 1,
            cancellationToken);

    public async Task<string?> GetAuthorizationModeAsync(string id, CancellationToken cancellationToken) =>
        (await database.Registry.GetOrLoadAsync("charge_point_authorization", id, () => database.ReadAsync(c => c.QuerySingleOrDefault<string>(
            "SELECT authorization_mode FROM charge_points WHERE id = @id", new { id }), cancellationToken)));

    public Task<bool> SetAuthorizationModeAsync(string id, string mode, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET authorization_mode = @mode WHERE id = @id", new { id, mode }, t) == 1, cancellationToken));

    public Task<bool> SetPasswordHashAsync(string id, string? passwordHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            UPDATE charge_points SET password_hash = @passwordHash, pending_password_hash = NULL,
                security_profile = CASE
                    WHEN @hasPassword AND security_profile = 0 THEN 1
                    WHEN NOT @hasPassword AND security_profile = 1 AND allow_unauthenticated THEN 0
                    ELSE security_profile END
            WHERE id = @id
            """, new { id, passwordHash, hasPassword = passwordHash is not null }, t) == 1,
            cancellationToken);

    public Task<bool> SetPendingPasswordHashAsync(string id, string pendingHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET pending_password_hash = @pendingHash WHERE id = @id", new { id, pendingHash }, t) == 1, cancellationToken);

    public Task<bool> CommitPasswordHashAsync(string id, string passwordHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET password_hash = @passwordHash, pending_password_hash = NULL WHERE id = @id", new { id, passwordHash }, t) == 1,
            cancellationToken);

    public Task<bool> PromotePendingPasswordHashAsync(string id, string pendingHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            UPDATE charge_points SET password_hash = pending_password_hash, pending_password_hash = NULL
            WHERE id = @id AND pending_password_hash = @pendingHash
            """, new { id, pendingHash }, t) == 1, cancellationToken);

    public Task<bool> ClearPendingPasswordHashAsync(string id, string pendingHash, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE charge_points SET pending_password_hash = NULL WHERE id = @id AND pending_password_hash = @pendingHash",
            new { id, pendingHash }, t) == 1, cancellationToken);

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
        database.ExecuteAsync("UPDATE charge_points SET last_heartbeat_at = @now WHERE id = @id", new { id, now }, cancellationToken);

    /// <summary>
    /// One batch, committed together: the connector's status (which starts or ends its session), its history row, and,
    /// when no vehicle is at the connector, the discarding of its evidence (the session ended with the upsert). Connector
    /// 0 is the charge point itself and holds none.
    /// </summary>
    public Task RecordStatusAsync(string id, ConnectorStatus status, bool vehicleAtConnector, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            !vehicleAtConnector && status.ConnectorId > 0 ? RecordStatusDiscardingEvidenceSql : RecordStatusSql,
            new
            {
                chargePointId = id, connectorId = status.ConnectorId, status.Status, status.ErrorCode, status.Info,
                status.VendorId, status.VendorErrorCode, status.StatusTimestamp, now, occupied = vehicleAtConnector,
            },
            cancellationToken);

    private const string RecordStatusSql =
        """
        INSERT INTO connectors (charge_point_id, connector_id, status, error_code, info, vendor_id, vendor_error_code,
            status_timestamp, updated_at, session_started_at)
        VALUES (@chargePointId, @connectorId, @Status, @ErrorCode, @Info, @VendorId, @VendorErrorCode, @StatusTimestamp, @now,
            CASE WHEN @occupied THEN @now END)
        ON CONFLICT (charge_point_id, connector_id) DO UPDATE SET status = excluded.status,
            error_code = excluded.error_code, info = excluded.info, vendor_id = excluded.vendor_id,
            vendor_error_code = excluded.vendor_error_code, status_timestamp = excluded.status_timestamp,
            updated_at = excluded.updated_at,
            session_started_at = CASE WHEN @occupied THEN COALESCE(connectors.session_started_at, excluded.updated_at) END;
        INSERT INTO status_history (charge_point_id, connector_id, status, error_code, info, vendor_id,
            vendor_error_code, status_timestamp, received_at)
        VALUES (@chargePointId, @connectorId, @Status, @ErrorCode, @Info, @VendorId, @VendorErrorCode, @StatusTimestamp, @now)
        """;

    private const string RecordStatusDiscardingEvidenceSql =
        RecordStatusSql + ";\n" + ConnectorEvidence.DiscardVinReportsSql + ";\n" + ConnectorEvidence.DiscardBiometricTokensSql;

    public Task<IReadOnlyList<ConnectorRecord>> GetConnectorsAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConnectorRecord>>(c => c.Query<ConnectorRecord>(
            "SELECT * FROM connectors WHERE charge_point_id = @id ORDER BY connector_id", new { id }).AsList(), cancellationToken);

    /// <summary>Every charge point's connectors, for listing all charge points without a query per charge point.</summary>
    public Task<IReadOnlyList<ConnectorRecord>> GetAllConnectorsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConnectorRecord>>(c => c.Query<ConnectorRecord>(
            "SELECT * FROM connectors ORDER BY charge_point_id, connector_id").AsList(), cancellationToken);

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

    public Task RecordDataTransferAsync(DataTransferRecord transfer, CancellationToken cancellationToken) =>
        database.ExecuteAsync(DataTransferLog.InsertSql, transfer, cancellationToken);
}
