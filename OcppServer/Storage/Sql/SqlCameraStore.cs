using Dapper;

using OcppServer.Registry;

namespace OcppServer.Storage.Sql;

internal sealed class SqlCameraStore(IRelationalDatabase database) : ICameraStore
{
    public Task<bool> InsertAsync(CameraRecord camera, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO cameras (id, station_id, key_hash, created_at) VALUES (@Id, @StationId, @KeyHash, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, camera, t) == 1, cancellationToken);

    public Task<CameraRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<CameraRecord>("SELECT * FROM cameras WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<CameraRecord>> ListAsync(string? stationId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CameraRecord>>(c => c.Query<CameraRecord>(
            "SELECT * FROM cameras WHERE (@stationId IS NULL OR station_id = @stationId) ORDER BY id", new { stationId }).AsList(), cancellationToken);

    public Task RecordCaptureAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE cameras SET last_capture_at = @at WHERE id = @id", new { id, at }, t), cancellationToken);
}
