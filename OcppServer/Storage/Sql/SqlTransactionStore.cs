using System.Data.Common;
using Dapper;

using OcppServer.Authorization.Decisions;
using OcppServer.Transactions;

namespace OcppServer.Storage.Sql;

internal sealed class SqlTransactionStore(IRelationalDatabase database) : ITransactionStore
{
    private const string InsertMeterValueSql =
        """
        INSERT INTO meter_values (charge_point_id, connector_id, transaction_id, source, timestamp, value, context, format,
            measurand, phase, location, unit, received_at)
        VALUES (@ChargePointId, @ConnectorId, @TransactionId, @Source, @Timestamp, @Value, @Context, @Format, @Measurand,
            @Phase, @Location, @Unit, @ReceivedAt)
        """;

    // A resend of an open transaction meets the unique partial index ux_transactions_open_content and inserts nothing.
    private const string InsertTransactionSql =
        """
        INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id,
            start_status, created_at, decision_id, pre_verification_id, vin_report_id, biometric_token_id, driver_id, vehicle_id)
        VALUES (@ChargePointId, @ConnectorId, @IdTag, @MeterStart, @StartTimestamp, @ReservationId, @StartStatus, @now,
            @decisionId, @PreVerificationId, @VinReportId, @BiometricTokenId, @DriverId, @VehicleId)
        ON CONFLICT (charge_point_id, connector_id, id_tag, meter_start, start_timestamp) WHERE stop_timestamp IS NULL DO NOTHING
        RETURNING id
        """;

    public Task<StartedTransaction> StartConsumingAsync(
        NewTransaction start, TransactionEvidence? evidence, string statusIfEvidenceTaken, DecisionRecord? decision, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            // The decision first, so the transaction can name it; a resend that raced the first start is decided all the same.
            long? decisionId = decision is null ? null : SqlDecisionStore.Insert(c, t, decision);
            int? inserted = c.ExecuteScalar<int?>(InsertTransactionSql, new
            {
                start.ChargePointId, start.ConnectorId, start.IdTag, start.MeterStart, start.StartTimestamp, start.ReservationId,
                start.StartStatus, now, decisionId, evidence?.PreVerificationId, evidence?.VinReportId, evidence?.BiometricTokenId,
                evidence?.DriverId, evidence?.VehicleId,
            }, t);
            if (inserted is not { } id)
            {
                return FindOpenByContent(c, t, start)
                    ?? throw new InvalidOperationException("A start conflicted with an open transaction that cannot be found");
            }

            bool evidenceTaken = evidence is not null && !Consume(c, t, evidence, id, now);
            string status = start.StartStatus;
            if (evidenceTaken)
            {
                status = statusIfEvidenceTaken;
                c.Execute("UPDATE transactions SET start_status = @status WHERE id = @id", new { status, id }, t);
            }

            if (decisionId is not null)
            {
                c.Execute(
                    """
                    UPDATE authorization_decisions SET transaction_id = @id,
                        result = CASE WHEN @evidenceTaken THEN @status ELSE result END,
                        reason = CASE WHEN @evidenceTaken THEN 'EvidenceAlreadyConsumed' ELSE reason END
                    WHERE id = @decisionId
                    """, new { id, decisionId, evidenceTaken, status }, t);
            }

            return new StartedTransaction(id, status, Created: true, evidenceTaken);
        }, cancellationToken);

    /// <summary>
    /// Consumes the evidence for transaction <paramref name="id"/>: each item is taken only if nobody took it (a
    /// conditional UPDATE, checked by its row count, so that two starts committing at once on any engine cannot both
    /// take it). A pre-verification is taken only while still <c>Passed</c>: a camera passage's later frame may lower its
    /// vote after the gate read it (see <c>CameraCaptureService.ProcessBurstAsync</c>), and then the start fails. If any item was taken already, what this start took is given back and false is returned.
    /// </summary>
    private static bool Consume(DbConnection c, DbTransaction t, TransactionEvidence evidence, int id, DateTimeOffset now)
    {
        bool taken = evidence.PreVerificationId is not null && c.Execute(
            """
            UPDATE pre_verifications SET consumed_by_transaction_id = @id, consumed_at = @now
            WHERE id = @PreVerificationId AND consumed_by_transaction_id IS NULL AND verdict = 'Passed'
            """, new { id, now, evidence.PreVerificationId }, t) == 0;
        taken = taken || (evidence.BiometricTokenId is not null && c.Execute(
            """
            UPDATE biometric_tokens SET consumed_by_transaction_id = @id
            WHERE id = @BiometricTokenId AND consumed_by_transaction_id IS NULL AND discarded_at IS NULL
            """, new { id, evidence.BiometricTokenId }, t) == 0);
        if (taken)
        {
            c.Execute(
                "UPDATE pre_verifications SET consumed_by_transaction_id = NULL, consumed_at = NULL WHERE consumed_by_transaction_id = @id",
                new { id }, t);
            c.Execute("UPDATE biometric_tokens SET consumed_by_transaction_id = NULL WHERE consumed_by_transaction_id = @id", new { id }, t);
        }

        return !taken;
    }

    public Task<StartedTransaction?> FindOpenByContentAsync(NewTransaction start, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindOpenByContent(c, null, start), cancellationToken);

    private static StartedTransaction? FindOpenByContent(DbConnection c, DbTransaction? t, NewTransaction start)
    {
        var row = c.QuerySingleOrDefault<TransactionRecord>(
            """
            SELECT * FROM transactions
            WHERE charge_point_id = @ChargePointId AND connector_id = @ConnectorId AND id_tag = @IdTag
              AND meter_start = @MeterStart AND start_timestamp = @StartTimestamp AND stop_timestamp IS NULL
            """, new { start.ChargePointId, start.ConnectorId, start.IdTag, start.MeterStart, start.StartTimestamp }, t);
        return row is null ? null : new StartedTransaction(row.Id, row.StartStatus, Created: false, EvidenceTaken: false);
    }

    /// <summary>Whether the id tag has an unfinished, accepted transaction.</summary>
    public Task<bool> HasOpenTransactionAsync(string idTag, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM transactions WHERE id_tag = @idTag AND stop_timestamp IS NULL AND start_status = 'Accepted')",
            new { idTag }), cancellationToken);

    public Task<long> CountOpenAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM transactions WHERE stop_timestamp IS NULL AND start_status = 'Accepted'"), cancellationToken);

    public Task<bool> HasOpenTransactionOnConnectorAsync(string chargePointId, int connectorId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM transactions
                           WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND stop_timestamp IS NULL
                             AND start_status = 'Accepted')
            """, new { chargePointId, connectorId }), cancellationToken);

    public Task<TransactionRecord?> GetAsync(int id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<TransactionRecord>(
            "SELECT * FROM transactions WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<TransactionRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TransactionRecord>>(c => c.Query<TransactionRecord>(
            chargePointId is null ? ListSql : ListForChargePointSql, new { chargePointId, limit }).AsList(), cancellationToken);

    // Two texts, not "(@chargePointId IS NULL OR charge_point_id = @chargePointId)": SQLite plans a statement before it
    // sees its parameters, and for that OR it plans a scan of every transaction of every charge point.
    internal const string ListSql = "SELECT * FROM transactions ORDER BY id DESC LIMIT @limit";

    internal const string ListForChargePointSql = "SELECT * FROM transactions WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit";

    public Task<IReadOnlyList<TransactionRecord>> ListPageAsync(TransactionFilter filter, int? before, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TransactionRecord>>(c => c.Query<TransactionRecord>(
            PageSql(filter, before is not null), new { filter.ChargePointId, filter.IdTag, before, limit }).AsList(), cancellationToken);

    /// <summary>
    /// The page's statement: only the conditions the filter asks for (each a fixed text with a parameter), so that each
    /// combination is planned for its own index (ix_transactions_cp for a charge point) rather than an OR of all.
    /// </summary>
    internal static string PageSql(TransactionFilter filter, bool hasBefore)
    {
        var conditions = new List<string>(4);
        if (filter.ChargePointId is not null)
        {
            conditions.Add("charge_point_id = @ChargePointId");
        }

        if (filter.IdTag is not null)
        {
            conditions.Add("id_tag = @IdTag");
        }

        if (filter.Running is { } running)
        {
            conditions.Add(running ? "stop_timestamp IS NULL AND start_status = 'Accepted'" : "stop_timestamp IS NOT NULL");
        }

        if (hasBefore)
        {
            conditions.Add("id < @before");
        }

        string where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return $"SELECT * FROM transactions{where} ORDER BY id DESC LIMIT @limit";
    }

    public Task<IReadOnlyList<MeterValueRecord>> GetMeterValuesAsync(IReadOnlyCollection<int> transactionIds, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MeterValueRecord>>(c => c.Query<MeterValueRecord>(
            _meterValuesSql, new { transactionIds = transactionIds.ToArray() }).AsList(), cancellationToken);

    private readonly string _meterValuesSql = database.ForEngine(
        """
        SELECT mv.* FROM meter_values mv
        JOIN transactions t ON t.id = mv.transaction_id AND t.charge_point_id = mv.charge_point_id
        WHERE mv.transaction_id IN @transactionIds ORDER BY mv.id
        """);

    public Task<bool> StopAsync(TransactionStop stop, IReadOnlyList<MeterValueRecord> transactionData, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            // Only an open transaction is stopped (a resent stop finds it stopped and changes nothing).
            int? connectorId = c.ExecuteScalar<int?>(
                """
                UPDATE transactions SET meter_stop = @MeterStop, stop_timestamp = @StopTimestamp, stop_reason = @Reason,
                    stop_id_tag = @IdTag, stopped_at = @now
                WHERE id = @TransactionId AND charge_point_id = @ChargePointId AND stop_timestamp IS NULL
                RETURNING connector_id
                """, new { stop.MeterStop, stop.StopTimestamp, stop.Reason, stop.IdTag, now, stop.TransactionId, stop.ChargePointId }, t);
            bool stopped = connectorId is not null;
            bool known = stopped || c.ExecuteScalar<bool>(
                "SELECT EXISTS (SELECT 1 FROM transactions WHERE id = @TransactionId AND charge_point_id = @ChargePointId)",
                new { stop.TransactionId, stop.ChargePointId }, t);
            if (!known)
            {
                c.Execute(
                    """
                    INSERT INTO unmatched_stop_transactions (charge_point_id, transaction_id, id_tag, meter_stop, stop_timestamp,
                        stop_reason, received_at)
                    VALUES (@ChargePointId, @TransactionId, @IdTag, @MeterStop, @StopTimestamp, @Reason, @now)
                    """, new { stop.ChargePointId, stop.TransactionId, stop.IdTag, stop.MeterStop, stop.StopTimestamp, stop.Reason, now }, t);
            }

            // A resent StopTransaction (already stopped) does not store its transaction data twice.
            if (stopped || !known)
            {
                c.Execute(InsertMeterValueSql, transactionData, t);
            }

            // Evidence from one vehicle must never serve the next: the stopped transaction's connector session ends.
            if (connectorId is > 0)
            {
                ConnectorEvidence.EndSession(c, t, stop.ChargePointId, connectorId.Value, now);
            }

            return known;
        }, cancellationToken);

    public Task InsertMeterValuesAsync(IReadOnlyList<MeterValueRecord> values, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(InsertMeterValueSql, values, t), cancellationToken);
}
