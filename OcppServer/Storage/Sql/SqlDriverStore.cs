using System.Data.Common;
using Dapper;

using OcppServer.Registry;

namespace OcppServer.Storage.Sql;

internal sealed class SqlDriverStore(IRelationalDatabase database) : IDriverStore
{
    // An id tag is linked to one driver (driver_id_tags' primary key): a tag taken meanwhile fails the whole write.
    public async Task<IReadOnlyList<string>> InsertAsync(DriverRecord driver, IReadOnlyList<string> idTags, CancellationToken cancellationToken)
    {
        try
        {
            await database.Registry.WriteAsync(database.WriteAsync<bool>((c, t) =>
            {
                c.Execute("INSERT INTO drivers (id, name, blocked, created_at) VALUES (@Id, @Name, @Blocked, @CreatedAt)", driver, t);
                foreach (string idTag in idTags)
                {
                    c.Execute(
                        """
                        INSERT INTO id_tags (id_tag, status, created_at, updated_at) VALUES (@idTag, 'Accepted', @now, @now)
                        ON CONFLICT (id_tag) DO NOTHING
                        """, new { idTag, now = driver.CreatedAt }, t);
                    c.Execute("INSERT INTO driver_id_tags (id_tag, driver_id) VALUES (@idTag, @Id)", new { idTag, driver.Id }, t);
                }

                return true;
            }, cancellationToken));
            return [];
        }
        catch (DbException ex) when (database.IsUniqueViolation(ex))
        {
            var taken = await database.ReadAsync(c => c.Query<string>(
                database.ForEngine("SELECT id_tag FROM driver_id_tags WHERE id_tag IN @idTags"), new { idTags = idTags.ToArray() }).AsList(), cancellationToken);
            if (taken.Count == 0)
            {
                throw; // the driver's id itself was taken: the caller checks ids before, so this is a race to report
            }

            return taken;
        }
    }

    public Task<DriverRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<DriverRecord>("SELECT * FROM drivers WHERE id = @id", new { id }), cancellationToken);

    public Task<DriverRecord?> GetByIdTagAsync(string idTag, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("driver_by_id_tag", idTag, () => database.ReadAsync(c => c.QuerySingleOrDefault<DriverRecord>(
            "SELECT d.* FROM drivers d JOIN driver_id_tags t ON t.driver_id = d.id WHERE t.id_tag = @idTag", new { idTag }), cancellationToken));

    public Task<IReadOnlyList<string>> GetIdTagsAsync(string driverId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(c => c.Query<string>(
            "SELECT id_tag FROM driver_id_tags WHERE driver_id = @driverId ORDER BY id_tag", new { driverId }).AsList(), cancellationToken);

    public Task<bool> SetBlockedAsync(string id, bool blocked, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE drivers SET blocked = @blocked WHERE id = @id", new { id, blocked }, t) == 1, cancellationToken));

    public Task InsertTemplateAsync(BiometricTemplateRecord template, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO biometric_templates (id, driver_id, modality, dimension, nonce, ciphertext, tag, created_at)
            VALUES (@Id, @DriverId, @Modality, @Dimension, @Nonce, @Ciphertext, @Tag, @CreatedAt)
            """, template, t), cancellationToken);

    public Task<IReadOnlyList<BiometricTemplateRecord>> GetAllTemplatesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<BiometricTemplateRecord>>(c => c.Query<BiometricTemplateRecord>(
            "SELECT * FROM biometric_templates ORDER BY created_at").AsList(), cancellationToken);

    public Task<int> CountTemplatesAsync(string driverId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM biometric_templates WHERE driver_id = @driverId", new { driverId }), cancellationToken);

    public async Task<IReadOnlyList<DriverSummary>> ListAsync(string? before, int limit, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(c => c.Query<DriverRecord>(
            """
            SELECT * FROM drivers
            WHERE @before IS NULL
               OR created_at < (SELECT created_at FROM drivers WHERE id = @before)
               OR (created_at = (SELECT created_at FROM drivers WHERE id = @before) AND id < @before)
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """, new { before, limit }).AsList(), cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        string[] ids = rows.Select(r => r.Id).ToArray();
        var tags = await database.ReadAsync(c => c.Query<(string DriverId, string IdTag)>(
            database.ForEngine("SELECT driver_id, id_tag FROM driver_id_tags WHERE driver_id IN @ids ORDER BY id_tag"), new { ids }).AsList(),
            cancellationToken);
        var counts = await database.ReadAsync(c => c.Query<(string DriverId, long Count)>(
            database.ForEngine("SELECT driver_id, COUNT(*) FROM biometric_templates WHERE driver_id IN @ids GROUP BY driver_id"), new { ids }).AsList(),
            cancellationToken);
        var tagsOf = tags.ToLookup(t => t.DriverId, t => t.IdTag, StringComparer.Ordinal);
        var countOf = counts.ToDictionary(t => t.DriverId, t => (int)t.Count, StringComparer.Ordinal);
        return rows.Select(r => new DriverSummary(r, tagsOf[r.Id].ToList(), countOf.GetValueOrDefault(r.Id))).ToList();
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<int>("SELECT COUNT(*) FROM drivers"), cancellationToken);
}
