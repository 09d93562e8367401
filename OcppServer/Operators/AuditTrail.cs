namespace OcppServer.Operators;

/// <summary>Writes the audit log: every change by a person or a machine, with its outcome. Never given a secret.</summary>
public sealed class AuditTrail(IAuditLog log, TimeProvider time)
{
    public const int MaxDetailLength = 500;

    public static string OperatorActor(string userName) => "operator:" + userName;

    public static string ApiKeyActor(int keyIndex) => "api-key:" + keyIndex;

    public Task RecordAsync(
        string actor, string action, string target, string? detail, string outcome, string? remoteAddress, CancellationToken cancellationToken) =>
        log.AppendAsync(new AuditEntry(0, time.GetUtcNow(), Clip(actor, 100), Clip(action, 100), Clip(target, 200),
            detail is null ? null : Clip(detail, MaxDetailLength), Clip(outcome, 300), remoteAddress), cancellationToken);

    public Task<AuditPage> ListAsync(long? before, int limit, string? actor, string? target, CancellationToken cancellationToken) =>
        log.ListAsync(before, limit, actor, target, cancellationToken);

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
