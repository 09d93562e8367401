using System.Reflection;
using Dapper;

namespace OcppServer.Storage.PostgreSql;

/// <summary>
/// Applies the ordered <c>Storage/PostgreSql/Migrations/NNNN_name.sql</c> files that the database has not seen yet, each
/// in a transaction of its own that also records it in <c>schema_migrations</c>. Several nodes may start at the same
/// moment on one database: each migration's transaction first takes a transaction-scoped advisory lock, then checks
/// (after the lock, so it sees what another node committed meanwhile) whether the migration is recorded, so every
/// migration is applied exactly once and a node never starts on a schema older than its code.
/// </summary>
public sealed class PostgreSqlMigrationRunner(PostgreSqlDatabase database, TimeProvider time, ILogger<PostgreSqlMigrationRunner> logger)
    : IMigrationRunner
{
    /// <summary>
    /// The manifest name prefix of the PostgreSQL migrations (see OcppServer.csproj). Not "Migrations.": that is the
    /// SQLite runner's, which takes every resource that starts with it.
    /// </summary>
    internal const string ResourcePrefix = "PostgreSqlMigrations/";

    /// <summary>The advisory lock key of migrations, the same on every node: "OcppMigr" read as a big-endian int64.</summary>
    internal const long AdvisoryLockKey = 0x4F6370704D696772;

    private const string CreateSchemaMigrationsSql =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at bigint NOT NULL)";

    /// <summary>The PostgreSQL migrations embedded in this assembly: manifest resource name and version, in order.</summary>
    internal static IReadOnlyList<(string Resource, string Version)> Migrations() =>
        typeof(PostgreSqlMigrationRunner).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Resource: n, Version: n[ResourcePrefix.Length..^".sql".Length]))
            .OrderBy(m => m.Version, StringComparer.Ordinal)
            .ToList();

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        // Without the lock: on a node that starts on an up-to-date schema this is the only query.
        var applied = (await database.ReadAsync(
                c => c.ExecuteScalar<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL")
                    ? c.Query<string>("SELECT version FROM schema_migrations").ToHashSet(StringComparer.Ordinal)
                    : [],
                cancellationToken));

        foreach (var (resource, version) in Migrations().Where(m => !applied.Contains(m.Version)))
        {
            string sql = await ReadAsync(typeof(PostgreSqlMigrationRunner).Assembly, resource);
            long appliedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            // Safe to rerun (a retried write): every run decides from what its own transaction reads after the lock.
            bool appliedHere = await database.WriteAsync((c, t) =>
            {
                c.Execute("SELECT pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, t);
                c.Execute(CreateSchemaMigrationsSql, transaction: t);
                if (c.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = @version)", new { version }, t))
                {
                    return false; // another node applied it while this one waited for the lock
                }

                c.Execute(sql, transaction: t);
                c.Execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt)",
                    new { version, appliedAt },
                    t);
                return true;
            }, cancellationToken);

            if (appliedHere)
            {
                logger.LogInformation("Applied PostgreSQL migration {Version}", version);
            }
        }
    }

    private static async Task<string> ReadAsync(Assembly assembly, string resource)
    {
        await using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
