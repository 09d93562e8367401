using Dapper;
using Microsoft.Extensions.Options;
using OcppServer.Storage;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Commits never run SQLite's automatic checkpoint; the background loop folds the log into the database.</summary>
public sealed class WalCheckpointTests
{
    private const int Rows = 80;
    private const int RowBytes = 64 * 1024;

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "ocppauth-unit", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Commits_leave_pages_in_the_log_until_the_background_checkpoint_copies_them()
    {
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _directory, CheckpointIntervalSeconds = 3600 }));
        await using (database)
        {
            await WriteAsync(database);
            Assert.That(new FileInfo(database.DatabasePath).Length, Is.LessThan(RowBytes),
                "a commit checkpointed the log itself (wal_autocheckpoint is not off)");
        }

        Assert.That(new FileInfo(database.DatabasePath).Length, Is.GreaterThan(Rows * RowBytes), "closing folds the log into the database");
    }

    [Test]
    public async Task The_background_checkpoint_copies_committed_pages_into_the_database_file()
    {
        await using var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _directory, CheckpointIntervalSeconds = 0.05 }));
        await WriteAsync(database);

        await Eventually.UntilAsync(() => Task.FromResult(new FileInfo(database.DatabasePath).Length), size => size > Rows * RowBytes,
            "the database file holds the committed rows");
    }

    [Test]
    public async Task Under_continuous_writes_the_log_starts_over_instead_of_growing()
    {
        // Back-to-back commits leave the background checkpoint no moment at which the whole log is copied, so SQLite
        // would never start the log over by itself: it grew by every page ever written (3 GB in a minute of load).
        await using var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _directory, CheckpointIntervalSeconds = 0.02 }));
        await CreateBlobsTableAsync(database);
        var data = new byte[16 * 1024];
        Random.Shared.NextBytes(data);
        // Enough that one late checkpoint on a busy machine (tens of MB at this write rate) stays well inside the bound.
        const long Written = 192L * 1024 * 1024;
        for (long bytes = 0; bytes < Written; bytes += data.Length)
        {
            await database.WriteAsync((c, t) => c.Execute("INSERT INTO blobs (data) VALUES (@data)", new { data }, t), CancellationToken.None);
        }

        // Without the restart the log holds every page written (more than Written); with it, it was cut back at least once.
        // How far back depends on when the background checkpoint got the CPU, which a busy machine delays: not asserted.
        Assert.That(new FileInfo(database.DatabasePath + "-wal").Length, Is.LessThan(Written), "the log was never started over");
    }

    private static Task CreateBlobsTableAsync(SqliteDatabase database) =>
        database.WriteAsync((c, t) => c.Execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)", transaction: t), CancellationToken.None);

    private static async Task WriteAsync(SqliteDatabase database)
    {
        await CreateBlobsTableAsync(database);
        var data = new byte[RowBytes];
        Random.Shared.NextBytes(data);
        for (int i = 0; i < Rows; i++)
        {
            await database.WriteAsync((c, t) => c.Execute("INSERT INTO blobs (data) VALUES (@data)", new { data }, t), CancellationToken.None);
        }
    }
}
