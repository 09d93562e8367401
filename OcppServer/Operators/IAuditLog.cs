namespace OcppServer.Operators;

/// <summary>One change made by a person (dashboard) or a machine (API key): who, what, on what, when, from where.</summary>
/// <param name="Actor">"operator:&lt;user name&gt;" for a dashboard account, "api-key:&lt;n&gt;" for the n-th configured key.</param>
/// <param name="Action">What was done, e.g. "driver.create", "command.reset", "account.role".</param>
/// <param name="Target">What it was done to, e.g. the driver's or charge point's id.</param>
/// <param name="Detail">A short account of the change (never a secret: no passwords, keys or templates).</param>
/// <param name="Outcome">"ok", or why it was refused (e.g. "invalid: name must be 1 to 200 characters").</param>
public sealed record AuditEntry(
    long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Detail, string Outcome, string? RemoteAddress);

/// <summary>A page of the audit log, newest first: pass <see cref="NextBefore"/> as the next query's <c>before</c>.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextBefore);

/// <summary>The audit log: append-only; the dashboard shows it.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry (its <see cref="AuditEntry.Id"/> is ignored and assigned); completes once committed.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Newest first, at most <paramref name="limit"/>, with ids below <paramref name="before"/> when given; filtered by
    /// actor and by target when given (exact match).
    /// </summary>
    Task<AuditPage> ListAsync(long? before, int limit, string? actor, string? target, CancellationToken cancellationToken);
}
