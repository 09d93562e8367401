using Dapper;

namespace OcppServer.Storage.Repositories;

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

public sealed record CommandRow
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

/// <summary>Server-to-charger calls and how they ended.</summary>
public sealed class CommandRepository(SqliteDatabase database)
{
    public Task InsertAsync(CommandRecord command, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO commands (charge_point_id, action, request, response, outcome, error_code, error_description, sent_at, completed_at)
            VALUES (@ChargePointId, @Action, @Request, @Response, @Outcome, @ErrorCode, @ErrorDescription, @SentAt, @CompletedAt)
            """, command, t), cancellationToken);

    public Task<IReadOnlyList<CommandRow>> ListAsync(string chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<CommandRow>>(c => c.Query<CommandRow>(
            "SELECT * FROM commands WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit",
            new { chargePointId, limit }).AsList(), cancellationToken);
}
