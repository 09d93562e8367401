using Dapper;
using OcppServer.Storage;
using OcppServer.Storage.PostgreSql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Each engine's runner takes its own embedded migrations and never the other engine's.</summary>
public sealed class MigrationResourcesTests
{
    // The SQLite MigrationRunner's rule: every manifest resource named "Migrations.*.sql".
    private static readonly string[] SqliteResources = typeof(MigrationRunner).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .ToArray();

    [Test]
    public void The_sqlite_and_postgresql_migration_sets_are_disjoint_and_each_non_empty()
    {
        var postgreSql = PostgreSqlMigrationRunner.Migrations().Select(m => m.Resource).ToList();

        Assert.That(SqliteResources, Is.Not.Empty);
        Assert.That(postgreSql, Is.Not.Empty);
        Assert.That(SqliteResources.Intersect(postgreSql), Is.Empty);
        Assert.That(postgreSql, Does.Contain("PostgreSqlMigrations/0018_baseline.sql"));
        Assert.That(SqliteResources, Does.Contain("Migrations.0001_ocpp_core.sql"));
    }

    [Test]
    public async Task The_sqlite_runner_applies_exactly_the_sqlite_migrations()
    {
        await using var temporary = await TemporaryDatabase.CreateAsync();

        var applied = await temporary.Database.ReadAsync(c => c.Query<string>("SELECT version FROM schema_migrations").AsList(), CancellationToken.None);

        Assert.That(applied, Is.EquivalentTo(SqliteResources.Select(n => n["Migrations.".Length..^".sql".Length])));
        Assert.That(applied, Has.None.Contain("baseline"), "no PostgreSQL migration");
    }
}
