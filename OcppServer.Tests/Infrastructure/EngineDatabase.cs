using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Storage;
using OcppServer.Storage.PostgreSql;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// A migrated, empty database of either engine, for store tests that run on both (a fixture per engine:
/// <c>[TestFixture(EngineDatabase.Sqlite)]</c>, <c>[TestFixture(EngineDatabase.PostgreSql)]</c>). On PostgreSQL (a database
/// of its own on the private cluster, ignored without PostgreSQL) <see cref="OtherNode"/> is a second engine on the same
/// database, as a second node has it; on SQLite, which serves one node, it is the same engine.
/// </summary>
public sealed class EngineDatabase : IAsyncDisposable
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";

    private readonly TemporaryDatabase? _sqlite;
    private readonly IAsyncDisposable[] _owned;

    private EngineDatabase(IRelationalDatabase database, IRelationalDatabase otherNode, TemporaryDatabase? sqlite, params IAsyncDisposable[] owned)
    {
        Database = database;
        OtherNode = otherNode;
        _sqlite = sqlite;
        _owned = owned;
    }

    public IRelationalDatabase Database { get; }

    /// <summary>Another node's engine on the same database (PostgreSQL), or <see cref="Database"/> itself (SQLite).</summary>
    public IRelationalDatabase OtherNode { get; }

    public static async Task<EngineDatabase> CreateAsync(string engine)
    {
        switch (engine)
        {
            case Sqlite:
                var temporary = await TemporaryDatabase.CreateAsync();
                return new EngineDatabase(temporary.Database, temporary.Database, temporary);
            case PostgreSql:
                var instance = await PostgreSqlInstance.GetAsync();
                string connectionString = await instance.CreateDatabaseAsync();
                var first = Open(connectionString);
                var second = Open(connectionString);
                await new PostgreSqlMigrationRunner(first, TimeProvider.System, NullLogger<PostgreSqlMigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
                return new EngineDatabase(first, second, null, first, second);
            default:
                throw new ArgumentOutOfRangeException(nameof(engine), engine, "Sqlite or PostgreSql");
        }
    }

    private static PostgreSqlDatabase Open(string connectionString) => new(Options.Create(new StorageOptions
    {
        Provider = StorageProvider.PostgreSql,
        PostgreSql = { ConnectionString = connectionString, Workers = 8 },
    }));

    public async ValueTask DisposeAsync()
    {
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
