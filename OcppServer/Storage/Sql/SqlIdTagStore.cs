using Dapper;

using OcppServer.Registry;

namespace OcppServer.Storage.Sql;

internal sealed class SqlIdTagStore(IRelationalDatabase database) : IIdTagStore
{
    public Task<IdTagRecord?> GetAsync(string idTag, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("id_tag", idTag, () => database.ReadAsync(c => c.QuerySingleOrDefault<IdTagRecord>(
            "SELECT * FROM id_tags WHERE id_tag = @idTag", new { idTag }), cancellationToken));

    public Task<IReadOnlyList<IdTagRecord>> ListAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<IdTagRecord>>(c => c.Query<IdTagRecord>(
            "SELECT * FROM id_tags ORDER BY id_tag LIMIT @limit", new { limit }).AsList(), cancellationToken);

    /// <summary>Inserts an id tag; false when it already exists.</summary>
    public Task<bool> InsertAsync(IdTagRecord row, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, created_at, updated_at)
            VALUES (@IdTag, @Status, @ExpiryDate, @ParentIdTag, @CreatedAt, @UpdatedAt)
            ON CONFLICT (id_tag) DO NOTHING
            """, row, t) == 1, cancellationToken));

    public Task<bool> UpdateAsync(IdTagRecord row, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            """
            UPDATE id_tags SET status = @Status, expiry_date = @ExpiryDate, parent_id_tag = @ParentIdTag, updated_at = @UpdatedAt
            WHERE id_tag = @IdTag
            """, row, t) == 1, cancellationToken));

    public Task<IReadOnlyList<IdTagRecord>> ListAfterAsync(string? after, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<IdTagRecord>>(c => c.Query<IdTagRecord>(
            "SELECT * FROM id_tags WHERE @after IS NULL OR id_tag > @after ORDER BY id_tag LIMIT @limit", new { after, limit }).AsList(),
            cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<int>("SELECT COUNT(*) FROM id_tags"), cancellationToken);
}
