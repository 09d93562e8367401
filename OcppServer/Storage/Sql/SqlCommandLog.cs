using Dapper;

using OcppServer.Commands;

namespace OcppServer.Storage.Sql;

/// <summary>Server-to-charger calls and how they ended.</summary>
internal sealed class SqlCommandLog(IRelationalDatabase database) : ICommandLog
{
    public Task InsertAsync(CommandRecord command, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(
            """
            INSERT INTO commands (charge_point_id, action, request, response, outcome, error_code, error_description, sent_at, completed_at)
            VALUES (@ChargePointId, @Action, @Request, @Response, @Outcome, @ErrorCode, @ErrorDescription, @SentAt, @CompletedAt)
            """, command, t), cancellationToken);

    public Task<IReadOnlyList<LoggedCommand>> ListAsync(string chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<LoggedCommand>>(c => c.Query<LoggedCommand>(
            "SELECT * FROM commands WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit",
            new { chargePointId, limit }).AsList(), cancellationToken);
}
