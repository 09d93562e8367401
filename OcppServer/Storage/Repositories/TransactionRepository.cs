using Dapper;
using Microsoft.Data.Sqlite;

namespace OcppServer.Storage.Repositories;

public sealed class TransactionRepository(SqliteDatabase database)
{
    private const string InsertMeterValueSql =
        """
        INSERT INTO meter_values (charge_point_id, connector_id, transaction_id, source, timestamp, value, context, format,
            measurand, phase, location, unit, received_at)
        VALUES (@ChargePointId, @ConnectorId, @TransactionId, @Source, @Timestamp, @Value, @Context, @Format, @Measurand,
            @Phase, @Location, @Unit, @ReceivedAt)
        """;

    /// <summary>
    /// Stores a StartTransaction, or returns the transaction an identical earlier one created
    /// (same charge point, connector, idTag, meterStart and timestamp: a resend).
    /// </summary>
    public Task<StartedTransaction> StartAsync(NewTransaction start, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var existing = await FindByContentAsync(c, t, start);
            if (existing is not null)
            {
                return existing with { Created = false };
            }

            int id = await c.ExecuteScalarAsync<int>(
                """
                INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id,
                    start_status, created_at)
                VALUES (@ChargePointId, @ConnectorId, @IdTag, @MeterStart, @StartTimestamp, @ReservationId, @StartStatus, @now)
                RETURNING id
                """, new { start.ChargePointId, start.ConnectorId, start.IdTag, start.MeterStart, start.StartTimestamp,
                    start.ReservationId, start.StartStatus, now }, t);
            return new StartedTransaction(id, start.StartStatus, Created: true);
        }, cancellationToken);

    public Task<StartedTransaction?> FindByContentAsync(NewTransaction start, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindByContentAsync(c, null, start), cancellationToken);

    private static async Task<StartedTransaction?> FindByContentAsync(SqliteConnection c, SqliteTransaction? t, NewTransaction start)
    {
        var row = await c.QuerySingleOrDefaultAsync<TransactionRow>(
            """
            SELECT * FROM transactions
            WHERE charge_point_id = @ChargePointId AND connector_id = @ConnectorId AND id_tag = @IdTag
              AND meter_start = @MeterStart AND start_timestamp = @StartTimestamp
            """, new { start.ChargePointId, start.ConnectorId, start.IdTag, start.MeterStart, start.StartTimestamp }, t);
        return row is null ? null : new StartedTransaction(row.Id, row.StartStatus, Created: false);
    }

    /// <summary>Whether the id tag has an unfinished, accepted transaction.</summary>
    public Task<bool> HasOpenTransactionAsync(string idTag, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM transactions WHERE id_tag = @idTag AND stop_timestamp IS NULL AND start_status = 'Accepted')",
            new { idTag }), cancellationToken);

    public Task<TransactionRow?> GetAsync(int id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<TransactionRow>(
            "SELECT * FROM transactions WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<TransactionRow>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TransactionRow>>(async c => (await c.QueryAsync<TransactionRow>(
            """
            SELECT * FROM transactions WHERE (@chargePointId IS NULL OR charge_point_id = @chargePointId)
            ORDER BY id DESC LIMIT @limit
            """, new { chargePointId, limit })).AsList(), cancellationToken);

    public Task<IReadOnlyList<MeterValueRow>> GetMeterValuesAsync(IReadOnlyCollection<int> transactionIds, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MeterValueRow>>(async c => (await c.QueryAsync<MeterValueRow>(
            """
            SELECT mv.* FROM meter_values mv
            JOIN transactions t ON t.id = mv.transaction_id AND t.charge_point_id = mv.charge_point_id
            WHERE mv.transaction_id IN @transactionIds ORDER BY mv.id
            """,
            new { transactionIds })).AsList(), cancellationToken);

    /// <summary>
    /// Stores a StopTransaction with its transaction data. Returns false when the transaction is unknown
    /// (it is then kept in <c>unmatched_stop_transactions</c>).
    /// </summary>
    public Task<bool> StopAsync(TransactionStop stop, IReadOnlyList<MeterValueRow> transactionData, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            int matched = await c.ExecuteAsync(
                """
                UPDATE transactions SET meter_stop = @MeterStop, stop_timestamp = @StopTimestamp, stop_reason = @Reason,
                    stop_id_tag = @IdTag, stopped_at = @now
                WHERE id = @TransactionId AND charge_point_id = @ChargePointId AND stop_timestamp IS NULL
                """, new { stop.MeterStop, stop.StopTimestamp, stop.Reason, stop.IdTag, now, stop.TransactionId, stop.ChargePointId }, t);
            bool known = matched == 1 || await c.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM transactions WHERE id = @TransactionId AND charge_point_id = @ChargePointId)",
                new { stop.TransactionId, stop.ChargePointId }, t);
            if (!known)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO unmatched_stop_transactions (charge_point_id, transaction_id, id_tag, meter_stop, stop_timestamp,
                        stop_reason, received_at)
                    VALUES (@ChargePointId, @TransactionId, @IdTag, @MeterStop, @StopTimestamp, @Reason, @now)
                    """, new { stop.ChargePointId, stop.TransactionId, stop.IdTag, stop.MeterStop, stop.StopTimestamp, stop.Reason, now }, t);
            }

            // A resent StopTransaction (already stopped) does not store its transaction data twice.
            if (matched == 1 || !known)
            {
                await c.ExecuteAsync(InsertMeterValueSql, transactionData, t);
            }

            return known;
        }, cancellationToken);

    public Task InsertMeterValuesAsync(IReadOnlyList<MeterValueRow> values, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(InsertMeterValueSql, values, t), cancellationToken);
}
