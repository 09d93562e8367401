using Dapper;

namespace OcppServer.Storage.Repositories;

public sealed record IdTagRow
{
    public string IdTag { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset? ExpiryDate { get; init; }
    public string? ParentIdTag { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed class IdTagRepository(SqliteDatabase database)
{
    public Task<IdTagRow?> GetAsync(string idTag, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("id_tag", idTag, () => database.ReadAsync(c => c.QuerySingleOrDefault<IdTagRow>(
            "SELECT * FROM id_tags WHERE id_tag = @idTag", new { idTag }), cancellationToken));

    public Task<IReadOnlyList<IdTagRow>> ListAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<IdTagRow>>(c => c.Query<IdTagRow>(
            "SELECT * FROM id_tags ORDER BY id_tag LIMIT @limit", new { limit }).AsList(), cancellationToken);

    /// <summary>Inserts an id tag; false when it already exists.</summary>
    public Task<bool> InsertAsync(IdTagRow row, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, created_at, updated_at)
            VALUES (@IdTag, @Status, @ExpiryDate, @ParentIdTag, @CreatedAt, @UpdatedAt)
            ON CONFLICT (id_tag) DO NOTHING
            """, row, t) == 1, cancellationToken));

    public Task<bool> UpdateAsync(IdTagRow row, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            """
            UPDATE id_tags SET status = @Status, expiry_date = @ExpiryDate, parent_id_tag = @ParentIdTag, updated_at = @UpdatedAt
            WHERE id_tag = @IdTag
            """, row, t) == 1, cancellationToken));
}
