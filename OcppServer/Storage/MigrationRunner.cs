using System.Reflection;
using Dapper;

namespace OcppServer.Storage;

/// <summary>Applies the ordered <c>Migrations/NNNN_name.sql</c> files that the database has not seen yet.</summary>
public sealed class MigrationRunner(SqliteDatabase database, TimeProvider time, ILogger<MigrationRunner> logger) : IMigrationRunner
{
    private const string Prefix = "Migrations.";

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await database.WriteAsync((c, t) => c.Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
            transaction: t), cancellationToken);

        var applied = (await database.ReadAsync(c => c.Query<string>("SELECT version FROM schema_migrations"), cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        var assembly = typeof(MigrationRunner).Assembly;
        var pending = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Resource: n, Version: n[Prefix.Length..^".sql".Length]))
            .Where(m => !applied.Contains(m.Version))
            .OrderBy(m => m.Version, StringComparer.Ordinal);

        foreach (var (resource, version) in pending)
        {
            string sql = await ReadAsync(assembly, resource);
            await database.WriteAsync((c, t) =>
            {
                c.Execute(sql, transaction: t);
                c.Execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt)",
                    new { version, appliedAt = time.GetUtcNow() },
                    t);
            }, cancellationToken);
            logger.LogInformation("Applied migration {Version}", version);
        }
    }

    private static async Task<string> ReadAsync(Assembly assembly, string resource)
    {
        await using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
