using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using OcppServer.Storage;
using SQLitePCL;

using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Connections keep their prepared statements: the same SQL is compiled once per connection, and reuse is invisible to callers.</summary>
public sealed class StatementCacheTests
{
    private const string Insert = "INSERT INTO items (name) VALUES (@name) RETURNING id";
    private const string Select = "SELECT name FROM items WHERE id = @id";

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
    public async Task Repeated_statements_are_compiled_once_per_connection_and_return_their_own_results()
    {
        var ids = new List<long>();
        foreach (string name in new[] { "a", "b", "c" })
        {
            ids.Add(await _database.WriteAsync((c, t) => c.ExecuteScalar<long>(Insert, new { name }, t), CancellationToken.None));
        }

        var names = new List<string?>();
        var statementMemory = new List<int>();
        foreach (long id in ids)
        {
            var (name, memory) = await _database.ReadAsync(c => (c.QuerySingleOrDefault<string>(Select, new { id }), StatementMemory(c)), CancellationToken.None);
            names.Add(name);
            statementMemory.Add(memory);
        }

        Assert.That(names, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(ids, Is.Unique);
        Assert.That(statementMemory[0], Is.GreaterThan(0), "the statement outlives its call");
        Assert.That(statementMemory, Is.All.EqualTo(statementMemory[0]), "the same statement serves every call");
    }

    [Test]
    public async Task A_statement_that_failed_is_reusable_and_its_savepoint_rolled_back()
    {
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = "dup" }, t), CancellationToken.None);

        var failed = await Assert.ThrowsAsync<SqliteException>(() =>
            _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = "dup" }, t), CancellationToken.None));
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = "next" }, t), CancellationToken.None);

        Assert.That(failed!.SqliteErrorCode, Is.EqualTo(raw.SQLITE_CONSTRAINT));
        var names = await _database.ReadAsync(c => c.Query<string>("SELECT name FROM items ORDER BY id").AsList(), CancellationToken.None);
        Assert.That(names, Is.EqualTo(new[] { "dup", "next" }));
    }

    [Test]
    public async Task Parameters_of_one_call_never_leak_into_the_next()
    {
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('x')", transaction: t), CancellationToken.None);
        const string Filter = "SELECT COUNT(*) FROM items WHERE (@name IS NULL OR name = @name)";

        long all = await _database.ReadAsync(c => c.ExecuteScalar<long>(Filter, new { name = (string?)null }), CancellationToken.None);
        long none = await _database.ReadAsync(c => c.ExecuteScalar<long>(Filter, new { name = "y" }), CancellationToken.None);
        // A call without the parameter must fail, not run with the previous call's value.
        await Assert.ThrowsAsync<InvalidOperationException>(() => _database.ReadAsync(c => c.ExecuteScalar<long>(Filter), CancellationToken.None));

        Assert.That((all, none), Is.EqualTo((1L, 0L)));
    }

    [Test]
    public async Task Expanded_in_lists_keep_their_parameters()
    {
        foreach (string name in new[] { "a", "b", "c" })
        {
            await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name }, t), CancellationToken.None);
        }

        const string Among = "SELECT name FROM items WHERE name IN @names AND id > @after ORDER BY name";
        var two = await _database.ReadAsync(c => c.Query<string>(Among, new { names = new[] { "a", "c" }, after = 0 }).AsList(), CancellationToken.None);
        var one = await _database.ReadAsync(c => c.Query<string>(Among, new { names = new[] { "b" }, after = 0 }).AsList(), CancellationToken.None);
        var twoAgain = await _database.ReadAsync(c => c.Query<string>(Among, new { names = new[] { "b", "c" }, after = 2 }).AsList(), CancellationToken.None);

        Assert.That(two, Is.EqualTo(new[] { "a", "c" }));
        Assert.That(one, Is.EqualTo(new[] { "b" }));
        Assert.That(twoAgain, Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public async Task Scripts_longer_than_the_limit_are_not_kept()
    {
        string script = "SELECT 1; -- " + new string('x', StatementCachingConnection.MaxCachedSqlLength);

        var (before, after) = await _database.ReadAsync(c =>
        {
            int memory = StatementMemory(c);
            c.Execute(script);
            return (memory, StatementMemory(c));
        }, CancellationToken.None);

        Assert.That(after, Is.EqualTo(before));
    }

    /// <summary>Bytes held by the connection's compiled statements (SQLITE_DBSTATUS_STMT_USED): zero when none is kept.</summary>
    private static int StatementMemory(DbConnection connection)
    {
        const int StatementUsed = 3;
        raw.sqlite3_db_status(((StatementCachingConnection)connection).Inner.Handle, StatementUsed, out int current, out _, 0);
        return current;
    }
}
