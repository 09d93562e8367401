namespace OcppServer.Commands;

/// <summary>A server-to-charger call as the command log keeps it once it ended.</summary>
public sealed record CommandRecord(
    string ChargePointId,
    string Action,
    string Request,
    string? Response,
    string Outcome,
    string? ErrorCode,
    string? ErrorDescription,
    DateTimeOffset SentAt,
    DateTimeOffset CompletedAt);

/// <summary>A logged server-to-charger call, as read back.</summary>
public sealed record LoggedCommand
{
    public long Id { get; init; }
    public string ChargePointId { get; init; } = "";
    public string Action { get; init; } = "";
    public string Request { get; init; } = "";
    public string? Response { get; init; }
    public string Outcome { get; init; } = "";
    public string? ErrorCode { get; init; }
    public string? ErrorDescription { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
}
