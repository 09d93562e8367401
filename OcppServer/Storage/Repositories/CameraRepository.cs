using Dapper;

namespace OcppServer.Storage.Repositories;

public sealed record CameraRow
{
    public string Id { get; init; } = "";
    public string StationId { get; init; } = "";
    public string KeyHash { get; init; } = "";
    public DateTimeOffset? LastCaptureAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class CameraRepository(SqliteDatabase database)
{
    public Task<bool> InsertAsync(CameraRow camera, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO cameras (id, station_id, key_hash, created_at) VALUES (@Id, @StationId, @KeyHash, @CreatedAt)
            ON CONFLICT (id) DO NOTHING
            """, camera, t) == 1, cancellationToken);

    public Task<CameraRow?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<CameraRow>("SELECT * FROM cameras WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<CameraRow>> ListAsync(string? stationId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CameraRow>>(c => c.Query<CameraRow>(
            "SELECT * FROM cameras WHERE (@stationId IS NULL OR station_id = @stationId) ORDER BY id", new { stationId }).AsList(), cancellationToken);

    public Task RecordCaptureAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            "UPDATE cameras SET last_capture_at = @at WHERE id = @id", new { id, at }, t), cancellationToken);
}
