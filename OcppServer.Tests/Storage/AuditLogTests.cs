using Dapper;
using OcppServer.Operators;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>The audit log on both engines: appended entries read back newest first, a page at a time, by actor and by target.</summary>
[TestFixture(EngineDatabase.Sqlite)]
[TestFixture(EngineDatabase.PostgreSql)]
public sealed class AuditLogTests(string engine)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private EngineDatabase _engine = null!;
    private IRelationalDatabase _database = null!;
    private SqlAuditLog _log = null!;

    [OneTimeSetUp]
    public async Task OpenDatabase()
    {
        _engine = await EngineDatabase.CreateAsync(engine);
        _database = _engine.Database;
        _log = new SqlAuditLog(_database);
    }

    [OneTimeTearDown]
    public async Task CloseDatabase()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [SetUp]
    public Task Empty() => _database.ExecuteAsync("DELETE FROM audit_log", null, CancellationToken.None);

    [Test]
    public async Task An_appended_entry_reads_back_with_every_field_and_an_assigned_id()
    {
        var entry = new AuditEntry(12345, Now.AddMilliseconds(7), "operator:alice", "driver.create", "drv_1", "name 'Ann'", "ok", "192.0.2.1");
        var bare = new AuditEntry(0, Now, "api-key:1", "command.reset", "CP1", null, "invalid: no such charge point", null);

        await _log.AppendAsync(entry, CancellationToken.None);
        await _log.AppendAsync(bare, CancellationToken.None);

        var page = await _log.ListAsync(null, 10, null, null, CancellationToken.None);
        Assert.That(page.NextBefore, Is.Null);
        Assert.That(page.Entries, Has.Count.EqualTo(2));
        Assert.That(page.Entries[1], Is.EqualTo(entry with { Id = page.Entries[1].Id }));
        Assert.That(page.Entries[0], Is.EqualTo(bare with { Id = page.Entries[0].Id }));
        Assert.That(page.Entries[0].Id, Is.GreaterThan(page.Entries[1].Id), "newest first");
        Assert.That(page.Entries[1].Id, Is.Not.EqualTo(12345), "the id is assigned, not taken from the entry");
    }

    [Test]
    public async Task Pages_follow_one_another_newest_first_without_a_gap_or_a_repeat([Values(7, 6)] int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _log.AppendAsync(Entry($"e{i}"), CancellationToken.None);
        }

        var pages = new List<AuditPage>();
        long? before = null;
        do
        {
            var page = await _log.ListAsync(before, 3, null, null, CancellationToken.None);
            pages.Add(page);
            before = page.NextBefore;
        }
        while (before is not null && pages.Count < 10);

        Assert.That(pages.SelectMany(p => p.Entries).Select(e => e.Target), Is.EqualTo(Enumerable.Range(0, count).Reverse().Select(i => $"e{i}")));
        Assert.That(pages.Select(p => p.Entries.Count), Is.EqualTo(count == 7 ? new[] { 3, 3, 1 } : new[] { 3, 3, 0 }),
            "a full page may have more behind it; a short one is the last");
        Assert.That(pages[0].NextBefore, Is.EqualTo(pages[0].Entries[^1].Id));
        Assert.That(pages[^1].NextBefore, Is.Null);
    }

    [Test]
    public async Task Entries_are_filtered_by_actor_by_target_and_by_both_exactly()
    {
        await _log.AppendAsync(Entry("CP1", actor: "operator:alice"), CancellationToken.None);
        await _log.AppendAsync(Entry("CP2", actor: "operator:alice"), CancellationToken.None);
        await _log.AppendAsync(Entry("CP1", actor: "operator:bob"), CancellationToken.None);
        await _log.AppendAsync(Entry("CP1", actor: "operator:Alice"), CancellationToken.None);

        async Task<IEnumerable<string>> ListAsync(string? actor, string? target) =>
            (await _log.ListAsync(null, 100, actor, target, CancellationToken.None)).Entries.Select(e => $"{e.Actor}/{e.Target}");

        Assert.That(await ListAsync("operator:alice", null), Is.EqualTo(new[] { "operator:alice/CP2", "operator:alice/CP1" }));
        Assert.That(await ListAsync(null, "CP1"), Is.EqualTo(new[] { "operator:Alice/CP1", "operator:bob/CP1", "operator:alice/CP1" }));
        Assert.That(await ListAsync("operator:alice", "CP1"), Is.EqualTo(new[] { "operator:alice/CP1" }));
        Assert.That(await ListAsync("operator:carol", null), Is.Empty);
    }

    [Test]
    public async Task A_filtered_list_pages_by_id_too()
    {
        for (int i = 0; i < 6; i++)
        {
            await _log.AppendAsync(Entry("CP1", actor: i % 2 == 0 ? "operator:alice" : "operator:bob", action: $"a{i}"), CancellationToken.None);
        }

        var first = await _log.ListAsync(null, 2, "operator:alice", "CP1", CancellationToken.None);
        var second = await _log.ListAsync(first.NextBefore, 2, "operator:alice", "CP1", CancellationToken.None);

        Assert.That(first.Entries.Select(e => e.Action), Is.EqualTo(new[] { "a4", "a2" }));
        Assert.That(second.Entries.Select(e => e.Action), Is.EqualTo(new[] { "a0" }));
        Assert.That(second.NextBefore, Is.Null);
    }

    [Test]
    public async Task The_limit_is_taken_between_1_and_500()
    {
        await _database.WriteAsync((c, t) => c.Execute(
            "INSERT INTO audit_log (at, actor, action, target, outcome) VALUES (@At, @Actor, @Action, @Target, @Outcome)",
            Enumerable.Range(0, 501).Select(i => Entry($"t{i}")), t), CancellationToken.None);

        var one = await _log.ListAsync(null, 0, null, null, CancellationToken.None);
        var most = await _log.ListAsync(null, int.MaxValue, null, null, CancellationToken.None);
        var rest = await _log.ListAsync(most.NextBefore, -5, null, null, CancellationToken.None);

        Assert.That((one.Entries.Count, one.NextBefore), Is.EqualTo((1, (long?)one.Entries[0].Id)));
        Assert.That(one.Entries[0].Target, Is.EqualTo("t500"));
        Assert.That(most.Entries, Has.Count.EqualTo(500));
        Assert.That(most.NextBefore, Is.EqualTo(most.Entries[^1].Id));
        Assert.That(rest.Entries.Select(e => e.Target), Is.EqualTo(new[] { "t0" }));
    }

    [Test]
    public async Task Entries_appended_at_once_by_several_nodes_are_all_kept_under_distinct_ids()
    {
        var otherNode = new SqlAuditLog(_engine.OtherNode);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _log : otherNode).AppendAsync(Entry($"t{i}"), CancellationToken.None))));

        var page = await _log.ListAsync(null, 100, null, null, CancellationToken.None);
        Assert.That(page.Entries.Select(e => e.Target), Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => $"t{i}")));
        Assert.That(page.Entries.Select(e => e.Id), Is.Unique.And.Ordered.Descending);
    }

    private static AuditEntry Entry(string target, string actor = "operator:alice", string action = "driver.block") =>
        new(0, Now, actor, action, target, null, "ok", null);
}
