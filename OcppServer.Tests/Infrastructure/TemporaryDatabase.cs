using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Storage;

namespace OcppServer.Tests.Infrastructure;

/// <summary>A SQLite database in a folder of its own under the temp folder (migrated unless asked not to), deleted on dispose.</summary>
public sealed class TemporaryDatabase : IAsyncDisposable
{
    private TemporaryDatabase(string directory, SqliteDatabase database)
    {
        DirectoryPath = directory;
        Database = database;
    }

    public string DirectoryPath { get; }

    public SqliteDatabase Database { get; private set; }

    public static async Task<TemporaryDatabase> CreateAsync(bool migrate = true)
    {
        string directory = Path.Combine(Path.GetTempPath(), "ocppauth-unit", Guid.NewGuid().ToString("N"));
        var database = Open(directory);
        if (migrate)
        {
            await new MigrationRunner(database, TimeProvider.System, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        }

        return new TemporaryDatabase(directory, database);
    }

    /// <summary>An unmigrated database with one scratch table, <c>items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)</c>.</summary>
    public static async Task<TemporaryDatabase> CreateWithItemsTableAsync()
    {
        var temporary = await CreateAsync(migrate: false);
        await temporary.Database.WriteAsync(
            (c, t) => c.Execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)", transaction: t), CancellationToken.None);
        return temporary;
    }

    /// <summary>Opens the same files again after <see cref="Database"/> was disposed by the test.</summary>
    public void Reopen() => Database = Open(DirectoryPath);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(DirectoryPath, recursive: true);
    }

    private static SqliteDatabase Open(string directory) => new(Options.Create(new StorageOptions { DataDirectory = directory }));
}
