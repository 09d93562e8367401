using Dapper;
using Microsoft.Data.Sqlite;
using OcppServer.Storage;

using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Writes commit in groups, on the caller's thread when nobody else is committing; each completes only once committed.</summary>
public sealed class GroupCommitTests
{
    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateWithItemsTableAsync();
        _database = _temporary.Database;
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task Concurrent_writers_all_commit_and_a_failing_one_rolls_back_alone()
    {
        var writes = Enumerable.Range(0, 400).Select(i => Task.Run(() => _database.WriteAsync(
            (c, t) => c.ExecuteScalar<long>("INSERT INTO items (name) VALUES (@name) RETURNING id", new { name = i == 123 ? "n0" : $"n{i}" }, t),
            CancellationToken.None))).ToList();

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (long?)await w;
            }
            catch (SqliteException)
            {
                return null;
            }
        }));

        Assert.That(outcomes.Count(o => o is null), Is.EqualTo(1), "only the duplicate name fails");
        Assert.That(outcomes.Where(o => o is not null), Is.Unique);
        var names = await ReadNamesFromAnotherConnectionAsync();
        Assert.That(names, Has.Count.EqualTo(399));
        Assert.That(names, Does.Not.Contain("n123"));
    }

    [Test]
    public async Task A_batch_of_statements_commits_all_or_nothing()
    {
        const string TwoInserts = "INSERT INTO items (name) VALUES (@a); INSERT INTO items (name) VALUES (@b)";
        int rows = await _database.ExecuteAsync(TwoInserts, new { a = "x", b = "y" }, CancellationToken.None);
        long id = await _database.ExecuteScalarAsync<long>("INSERT INTO items (name) VALUES (@name) RETURNING id", new { name = "z" }, CancellationToken.None);

        Assert.That(rows, Is.EqualTo(2));
        Assert.That(id, Is.GreaterThan(0));
        await Assert.ThrowsAsync<SqliteException>(() => _database.ExecuteAsync(TwoInserts, new { a = "w", b = "x" }, CancellationToken.None));
        Assert.That(await ReadNamesFromAnotherConnectionAsync(), Is.EquivalentTo(new[] { "x", "y", "z" }), "w went with the failing statement");
    }

    [Test]
    public async Task A_write_that_throws_alone_leaves_nothing_behind_and_the_next_write_commits()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.WriteAsync((c, t) =>
        {
            c.Execute("INSERT INTO items (name) VALUES ('half')", transaction: t);
            throw new InvalidOperationException("write failed after its first statement");
        }, CancellationToken.None));
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('next')", transaction: t), CancellationToken.None);

        Assert.That(failed!.Message, Does.Contain("first statement"));
        Assert.That(await ReadNamesFromAnotherConnectionAsync(), Is.EqualTo(new[] { "next" }));
    }

    [Test]
    public async Task A_completed_write_is_visible_to_a_connection_that_opens_afterwards()
    {
        for (int i = 0; i < 20; i++)
        {
            await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = $"v{i}" }, t), CancellationToken.None);

            Assert.That(await ReadNamesFromAnotherConnectionAsync(), Does.Contain($"v{i}"));
        }
    }

    [Test]
    public async Task Dispose_commits_what_is_queued_and_later_writes_are_refused()
    {
        var writes = Enumerable.Range(0, 200).Select(i => Task.Run(() => _database.WriteAsync(
            (c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = $"d{i}" }, t), CancellationToken.None))).ToList();
        await Task.Delay(1);

        await _database.DisposeAsync();
        var settled = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _database.WriteAsync((c, t) => c.Execute("SELECT 1", transaction: t), CancellationToken.None));
        Assert.That(await ReadNamesFromAnotherConnectionAsync(), Has.Count.EqualTo(settled.Count(committed => committed)),
            "every write that completed is stored, and none that was refused");
        _temporary.Reopen(); // for TearDown
    }

    private async Task<List<string>> ReadNamesFromAnotherConnectionAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _database.DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT name FROM items ORDER BY id")).AsList();
    }
}
