using Dapper;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp;

namespace OcppServer.Storage.Sql;

/// <summary>
/// Reads what <see cref="MessageLogWriter"/> wrote. The table is pruned to Ocpp:MessageLog:MaxRows, so a charge point's
/// latest frames are found by reading it newest first without an index of its own.
/// </summary>
internal sealed class SqlMessageLog(IRelationalDatabase database, IOptions<OcppOptions> options) : IOcppMessageLog
{
    public bool Enabled => options.Value.MessageLog.Enabled;

    public Task<IReadOnlyList<LoggedMessage>> ListAsync(string chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<LoggedMessage>>(c => c.Query<LoggedMessage>(
            "SELECT * FROM message_log WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit",
            new { chargePointId, limit }).AsList(), cancellationToken);
}
