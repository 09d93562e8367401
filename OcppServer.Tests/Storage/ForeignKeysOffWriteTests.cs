using Dapper;
using Microsoft.Data.Sqlite;
using OcppServer.Storage;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// <see cref="SqliteDatabase.WriteWithoutForeignKeysAsync"/>, the path of migrations that rebuild tables: one transaction
/// with foreign keys off, committed only without a foreign key violation, foreign keys on again afterwards.
/// </summary>
public sealed class ForeignKeysOffWriteTests
{
    private const string InsertOrphan = "INSERT INTO children (parent_id) VALUES ('NOBODY')";

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        _database = _temporary.Database;
        await _database.WriteAsync((c, t) => c.Execute(
            """
            CREATE TABLE parents (id TEXT PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents(id));
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO parents (id, name) VALUES ('P1', 'one');
            INSERT INTO children (parent_id) VALUES ('P1');
            """, transaction: t), CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task A_parent_table_is_rebuilt_under_its_children_and_foreign_keys_are_enforced_again_afterwards()
    {
        await _database.WriteWithoutForeignKeysAsync((c, t) =>
        {
            Assert.That(c.ExecuteScalar<long>("PRAGMA foreign_keys", transaction: t), Is.Zero);
            c.Execute(
                """
                CREATE TABLE parents_new (id TEXT PRIMARY KEY, name TEXT NOT NULL, added INTEGER NULL);
                INSERT INTO parents_new (id, name) SELECT id, name FROM parents;
                DROP TABLE parents;
                ALTER TABLE parents_new RENAME TO parents;
                """, transaction: t);
        }, CancellationToken.None);

        Assert.That(await _database.ReadAsync(c => c.Query<string>("SELECT p.name FROM children c JOIN parents p ON p.id = c.parent_id").AsList(),
            CancellationToken.None), Is.EqualTo(new[] { "one" }));
        Assert.That(await ForeignKeysOnTheWriterAsync(), Is.EqualTo(1));
        var refused = await Assert.ThrowsAsync<SqliteException>(() => _database.WriteAsync((c, t) => c.Execute(InsertOrphan, transaction: t), CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("FOREIGN KEY"));
    }

    [Test]
    public async Task A_write_that_leaves_a_violation_is_not_committed()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.WriteWithoutForeignKeysAsync(
            (c, t) => c.Execute(InsertOrphan, transaction: t), CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("foreign key").And.Contain("children").And.Contain("parents"));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM children"), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await ForeignKeysOnTheWriterAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_write_that_throws_is_rolled_back_and_foreign_keys_are_on_again()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.WriteWithoutForeignKeysAsync((c, t) =>
        {
            c.Execute("DROP TABLE parents", transaction: t);
            throw new InvalidOperationException("half way");
        }, CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo("half way"));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM parents"), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await ForeignKeysOnTheWriterAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task It_commits_among_concurrent_writes_which_keep_their_foreign_keys()
    {
        var writes = new List<Task>();
        for (int i = 0; i < 40; i++)
        {
            int n = i;
            writes.Add(Task.Run(() => _database.WriteAsync(
                (c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = $"i{n}" }, t), CancellationToken.None)));
            if (n % 10 == 5)
            {
                // Were it to share a transaction with this write, the orphan would be let in (or fail the whole batch).
                writes.Add(Task.Run(async () => await Assert.ThrowsAsync<SqliteException>(() => _database.WriteAsync(
                    (c, t) => c.Execute(InsertOrphan, transaction: t), CancellationToken.None))));
                writes.Add(Task.Run(() => _database.WriteWithoutForeignKeysAsync((c, t) => c.Execute(
                    "INSERT INTO parents (id, name) VALUES (@id, 'more')", new { id = $"P{n}" }, t), CancellationToken.None)));
            }
        }

        await Task.WhenAll(writes);

        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM items"), CancellationToken.None), Is.EqualTo(40));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM parents"), CancellationToken.None), Is.EqualTo(5));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM children"), CancellationToken.None), Is.EqualTo(1));
        Assert.That(await ForeignKeysOnTheWriterAsync(), Is.EqualTo(1));
    }

    private Task<long> ForeignKeysOnTheWriterAsync() =>
        _database.WriteAsync((c, t) => c.ExecuteScalar<long>("PRAGMA foreign_keys", transaction: t), CancellationToken.None);
}
