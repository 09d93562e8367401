using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OcppServer.Storage;

namespace OcppServer.Tests.Storage;

/// <summary>A group commit that holds the writer too long (every write waits behind it) is logged for the operator.</summary>
public sealed class SlowCommitWarningTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "ocppauth-unit", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Only_a_commit_that_holds_the_writer_past_the_threshold_is_logged()
    {
        // Under the threshold: one that no commit of this test comes near, however busy the machine (a commit that
        // takes longer than a small threshold on a loaded machine is rightly logged, so a small one cannot show this).
        var quick = new CapturingLogger();
        await using (var database = Open("quick", slowCommitWarningMilliseconds: 60_000, quick))
        {
            await database.WriteAsync((c, t) => c.Execute("CREATE TABLE items (id INTEGER PRIMARY KEY)", transaction: t), CancellationToken.None);
            await database.WriteAsync((c, t) => c.Execute("INSERT INTO items (id) VALUES (1)", transaction: t), CancellationToken.None);
        }

        Assert.That(quick.Warnings, Is.Empty, "commits under the threshold");

        // Past the threshold: the only commit of this database holds the writer longer than the threshold whatever the machine.
        var logger = new CapturingLogger();
        await using (var database = Open("slow", slowCommitWarningMilliseconds: 50, logger))
        {
            await database.WriteAsync((c, t) =>
            {
                c.Execute("CREATE TABLE items (id INTEGER PRIMARY KEY)", transaction: t);
                c.Execute("INSERT INTO items (id) VALUES (1)", transaction: t);
                Thread.Sleep(120); // a write that keeps the transaction open, as a stalled disk would
            }, CancellationToken.None);
        }

        Assert.That(logger.Warnings, Has.Count.EqualTo(1));
        Assert.That(logger.Warnings.Single(), Does.Match(@"^A group commit of 1 writes held the writer (\d{3,}) ms \(copy before the log restart \d+ ms, COMMIT \d+ ms\)$"));
    }

    private SqliteDatabase Open(string name, double slowCommitWarningMilliseconds, ILogger<SqliteDatabase> logger) => new(
        Options.Create(new StorageOptions { DataDirectory = Path.Combine(_directory, name), SlowCommitWarningMilliseconds = slowCommitWarningMilliseconds }),
        logger);

    private sealed class CapturingLogger : ILogger<SqliteDatabase>
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
