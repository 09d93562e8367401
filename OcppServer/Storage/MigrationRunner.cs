using System.Data.Common;
using System.Reflection;
using Dapper;

namespace OcppServer.Storage;

/// <summary>
/// Applies the ordered <c>Migrations/NNNN_name.sql</c> files that the database has not seen yet, each in a transaction
/// of its own with its <c>schema_migrations</c> row. A migration whose first line is <see cref="ForeignKeysOffHeader"/>
/// rebuilds tables: it runs alone with foreign key enforcement off and must leave no violation
/// (<see cref="SqliteDatabase.WriteWithoutForeignKeysAsync"/>).
/// </summary>
public sealed class MigrationRunner(SqliteDatabase database, TimeProvider time, ILogger<MigrationRunner> logger) : IMigrationRunner
{
    /// <summary>The first line of a migration that must run with foreign key enforcement off.</summary>
    internal const string ForeignKeysOffHeader = "-- migration: foreign_keys off";

    private const string Prefix = "Migrations.";

    public Task ApplyAsync(CancellationToken cancellationToken) => ApplyAsync(through: null, cancellationToken);

    /// <summary>Applies the pending migrations up to <paramref name="through"/> (a version, e.g. "0017_connector_sessions"; null: all).</summary>
    internal async Task ApplyAsync(string? through, CancellationToken cancellationToken)
    {
        // applied_at is epoch milliseconds, as every time (migration 0018 rebuilt this table where it was older).
        await database.WriteAsync((c, t) => c.Execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
            transaction: t), cancellationToken);

        var applied = (await database.ReadAsync(c => c.Query<string>("SELECT version FROM schema_migrations"), cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        var assembly = typeof(MigrationRunner).Assembly;
        var pending = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Resource: n, Version: n[Prefix.Length..^".sql".Length]))
            .Where(m => !applied.Contains(m.Version))
            .Where(m => through is null || string.CompareOrdinal(m.Version, through) <= 0)
            .OrderBy(m => m.Version, StringComparer.Ordinal);

        foreach (var (resource, version) in pending)
        {
            string sql = await ReadAsync(assembly, resource);
            Action<DbConnection, DbTransaction> apply = (c, t) =>
            {
                c.Execute(sql, transaction: t);
                c.Execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt)",
                    new { version, appliedAt = time.GetUtcNow() },
                    t);
            };
            if (sql.StartsWith(ForeignKeysOffHeader, StringComparison.Ordinal))
            {
                await database.WriteWithoutForeignKeysAsync(apply, cancellationToken);
            }
            else
            {
                await database.WriteAsync(apply, cancellationToken);
            }

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
