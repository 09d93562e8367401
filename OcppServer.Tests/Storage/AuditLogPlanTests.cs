using Dapper;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// The audit log grows for ever: every page of it, filtered or not, is read by seeking an index from the page's start
/// (SQLite's plan), never by sorting or scanning the log.
/// </summary>
public sealed class AuditLogPlanTests
{
    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        await _database.WriteAsync((c, t) => c.Execute(
            "INSERT INTO audit_log (at, actor, action, target, outcome) VALUES (0, @Actor, 'driver.block', @Target, 'ok')",
            Enumerable.Range(0, 2000).Select(i => new { Actor = $"operator:{i % 5}", Target = $"drv_{i % 300}" }), t), CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task A_page_of_the_whole_log_seeks_the_primary_key_from_its_start() =>
        Assert.That(await PlanAsync(SqlAuditLog.ListSql), Does.Contain("SEARCH audit_log USING INTEGER PRIMARY KEY (rowid<?)").And.Not.Contain("TEMP B-TREE"));

    [Test]
    public async Task A_page_of_one_actor_seeks_the_actor_index() =>
        Assert.That(await PlanAsync(SqlAuditLog.ListByActorSql), Does.Contain("USING INDEX audit_log_by_actor (actor=? AND id<?)").And.Not.Contain("TEMP B-TREE"));

    [Test]
    public async Task A_page_of_one_target_seeks_the_target_index() =>
        Assert.That(await PlanAsync(SqlAuditLog.ListByTargetSql), Does.Contain("USING INDEX audit_log_by_target (target=? AND id<?)").And.Not.Contain("TEMP B-TREE"));

    [Test]
    public async Task A_page_of_one_actor_on_one_target_seeks_an_index() =>
        Assert.That(await PlanAsync(SqlAuditLog.ListByActorAndTargetSql), Does.Match("USING INDEX audit_log_by_(actor|target) ").And.Not.Contain("TEMP B-TREE"));

    private Task<string> PlanAsync(string sql) =>
        _database.ReadAsync(c => string.Join("\n", c.Query("EXPLAIN QUERY PLAN " + sql, new { before = long.MaxValue, limit = 50, actor = "operator:1", target = "drv_7" })
            .Select(row => (string)row.detail)), CancellationToken.None);
}
