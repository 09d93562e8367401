using Dapper;

using OcppServer.Authorization.PreVerification;

namespace OcppServer.Storage.Sql;

internal sealed class SqlPreVerificationStore(IRelationalDatabase database) : IPreVerificationStore
{
    private const string InsertSql =
        """
        INSERT INTO pre_verifications (id, station_id, camera_id, source, plate, verdict, confidence, vehicle_id, reasons,
            plate_hint, image_sha256, image_path, captured_at, created_at, expires_at)
        VALUES (@Id, @StationId, @CameraId, @Source, @Plate, @Verdict, @Confidence, @VehicleId, @Reasons, @PlateHint,
            @ImageSha256, @ImagePath, @CapturedAt, @CreatedAt, @ExpiresAt)
        """;

    /// <summary>
    /// Stores the record. One with an image first claims the image's SHA-256 at its station in the same commit; when the
    /// station has recorded those bytes before, <paramref name="ifReplayed"/> of the record is stored instead.
    /// </summary>
    public Task<PreVerificationRecord> InsertAsync(
        PreVerificationRecord row, CancellationToken cancellationToken, Func<PreVerificationRecord, PreVerificationRecord>? ifReplayed = null) =>
        database.WriteAsync((c, t) =>
        {
            // A local, not the captured parameter: an engine may run this write again (PostgreSQL after a deadlock).
            var stored = row;
            if (row.ImageSha256 is not null && ifReplayed is not null)
            {
                int claimed = c.Execute(
                    """
                    INSERT INTO captured_images (station_id, image_sha256, pre_verification_id) VALUES (@StationId, @ImageSha256, @Id)
                    ON CONFLICT (station_id, image_sha256) DO NOTHING
                    """, row, t);
                if (claimed == 0)
                {
                    stored = ifReplayed(row);
                }
            }

            c.Execute(InsertSql, stored, t);
            return stored;
        }, cancellationToken);

    /// <summary>Records whose image is older than <paramref name="before"/> and still on disk.</summary>
    public Task<IReadOnlyList<PreVerificationRecord>> ListWithImagesBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PreVerificationRecord>>(c => c.Query<PreVerificationRecord>(
            WithImagesBeforeSql, new { before, limit }).AsList(), cancellationToken);

    internal const string WithImagesBeforeSql =
        "SELECT * FROM pre_verifications WHERE image_path IS NOT NULL AND created_at < @before ORDER BY created_at LIMIT @limit";

    /// <summary>Clears the image path of the record and of its frames (a burst's), in one commit.</summary>
    public Task ForgetImageAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            c.Execute("UPDATE pre_verifications SET image_path = NULL WHERE id = @id", new { id }, t);
            c.Execute("UPDATE capture_frames SET image_path = NULL WHERE pre_verification_id = @id", new { id }, t);
        }, cancellationToken);

    public Task<PreVerificationRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<PreVerificationRecord>(
            "SELECT * FROM pre_verifications WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<PreVerificationRecord>> ListAsync(string? stationId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PreVerificationRecord>>(c => c.Query<PreVerificationRecord>(
            stationId is null ? ListSql : ListForStationSql, new { stationId, limit }).AsList(), cancellationToken);

    // Two texts for the indexes' sake, as in TransactionRepository.ListAsync.
    internal const string ListSql = "SELECT * FROM pre_verifications ORDER BY created_at DESC, id DESC LIMIT @limit";

    internal const string ListForStationSql =
        "SELECT * FROM pre_verifications WHERE station_id = @stationId ORDER BY created_at DESC, id DESC LIMIT @limit";

    /// <summary>The vehicle's most recent pre-verification records (any station, any verdict), newest first.</summary>
    public Task<IReadOnlyList<PreVerificationRecord>> ListRecentForVehicleAsync(string vehicleId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PreVerificationRecord>>(c => c.Query<PreVerificationRecord>(
            """
            SELECT * FROM pre_verifications WHERE vehicle_id = @vehicleId AND created_at >= @since
            ORDER BY created_at DESC, id DESC LIMIT 20
            """, new { vehicleId, since }).AsList(), cancellationToken);

    /// <summary>The newest Passed, unconsumed record at the station for one of the vehicles, created since <paramref name="since"/>.</summary>
    public Task<PreVerificationRecord?> FindOpenPassedAsync(
        string stationId, IReadOnlyCollection<string> vehicleIds, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<PreVerificationRecord>(_findOpenPassedSql, new { stationId, vehicleIds = vehicleIds.ToArray(), since }), cancellationToken);

    private readonly string _findOpenPassedSql = database.ForEngine(FindOpenPassedSql);

    // Runs on every decision: its WHERE matches the partial index ix_pre_verifications_open (see 0004_open_record_indexes.sql).
    internal const string FindOpenPassedSql =
        """
        SELECT * FROM pre_verifications
        WHERE vehicle_id IN @vehicleIds AND station_id = @stationId AND verdict = 'Passed'
          AND consumed_by_transaction_id IS NULL AND created_at >= @since
        ORDER BY created_at DESC, id DESC LIMIT 1
        """;

    /// <summary>Whether any vehicle passed the station's entrance since <paramref name="since"/> and has not charged yet.</summary>
    public Task<bool> AnyOpenPassedAsync(string stationId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<bool>(AnyOpenPassedSql, new { stationId, since }), cancellationToken);

    internal const string AnyOpenPassedSql =
        """
        SELECT EXISTS (SELECT 1 FROM pre_verifications
                       WHERE station_id = @stationId AND verdict = 'Passed' AND consumed_by_transaction_id IS NULL AND created_at >= @since)
        """;

    /// <summary>
    /// When the station's cameras last delivered an image (a camera that never did counts from its registration);
    /// null when the station has no camera.
    /// </summary>
    public Task<DateTimeOffset?> GetLastCameraActivityAsync(string stationId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<DateTimeOffset?>(
            "SELECT MAX(COALESCE(last_capture_at, created_at)) FROM cameras WHERE station_id = @stationId", new { stationId }), cancellationToken);
}
