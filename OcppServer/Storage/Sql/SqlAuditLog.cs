using Dapper;

using OcppServer.Operators;

namespace OcppServer.Storage.Sql;

/// <summary>The audit log in <c>audit_log</c> (migration 0024): appended one row at a time, read newest first by id.</summary>
internal sealed class SqlAuditLog(IRelationalDatabase database) : IAuditLog
{
    /// <summary>The most entries one page holds (a larger limit is taken as this).</summary>
    internal const int MaxLimit = 500;

    private const string Columns = "id, at, actor, action, target, detail, outcome, remote_address";

    // Four texts, not "(@actor IS NULL OR actor = @actor)": SQLite plans a statement before it sees its parameters, and
    // for that OR it would scan the whole log (as in SqlTransactionStore.ListAsync). Without a "before", it is long.MaxValue.
    internal const string ListSql =
        $"SELECT {Columns} FROM audit_log WHERE id < @before ORDER BY id DESC LIMIT @limit";

    internal const string ListByActorSql =
        $"SELECT {Columns} FROM audit_log WHERE actor = @actor AND id < @before ORDER BY id DESC LIMIT @limit";

    internal const string ListByTargetSql =
        $"SELECT {Columns} FROM audit_log WHERE target = @target AND id < @before ORDER BY id DESC LIMIT @limit";

    internal const string ListByActorAndTargetSql =
        $"SELECT {Columns} FROM audit_log WHERE actor = @actor AND target = @target AND id < @before ORDER BY id DESC LIMIT @limit";

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO audit_log (at, actor, action, target, detail, outcome, remote_address)
            VALUES (@At, @Actor, @Action, @Target, @Detail, @Outcome, @RemoteAddress)
            """,
            new { entry.At, entry.Actor, entry.Action, entry.Target, entry.Detail, entry.Outcome, entry.RemoteAddress },
            cancellationToken);

    public async Task<AuditPage> ListAsync(long? before, int limit, string? actor, string? target, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        string sql = (actor, target) switch
        {
            (null, null) => ListSql,
            (not null, null) => ListByActorSql,
            (null, not null) => ListByTargetSql,
            _ => ListByActorAndTargetSql,
        };
        var parameters = new { before = before ?? long.MaxValue, limit, actor, target };
        var rows = await database.ReadAsync(c => c.Query<AuditRow>(sql, parameters).AsList(), cancellationToken);
        var entries = rows.Select(r => new AuditEntry(r.Id, r.At, r.Actor, r.Action, r.Target, r.Detail, r.Outcome, r.RemoteAddress)).ToList();
        // A full page may have more behind it; a short one is the end (an empty next page is possible, never a missed entry).
        return new AuditPage(entries, entries.Count == limit ? entries[^1].Id : null);
    }

    private sealed record AuditRow
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string Actor { get; init; } = "";
        public string Action { get; init; } = "";
        public string Target { get; init; } = "";
        public string? Detail { get; init; }
        public string Outcome { get; init; } = "";
        public string? RemoteAddress { get; init; }
    }
}
