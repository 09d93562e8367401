using System.Data.Common;
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
    /// Stores a StartTransaction, or returns the open transaction an identical earlier one created
    /// (same charge point, connector, idTag, meterStart and timestamp: a resend). Once that transaction has stopped, the
    /// same content is a new start, decided and recorded anew.
    /// When <paramref name="evidence"/> is given, its pre-verification record and biometric token are consumed by the new
    /// transaction in the same database transaction; if another session consumed one first, the transaction is stored
    /// with <paramref name="statusIfEvidenceTaken"/> instead and <see cref="StartedTransaction.EvidenceTaken"/> is set.
    /// The gate's <paramref name="decision"/>, not recorded yet, is recorded in the same commit with the status finally
    /// stored and linked to the new transaction: a start and the decision it answers are never committed apart.
    /// </summary>
    public Task<StartedTransaction> StartAsync(
        NewTransaction start, TransactionEvidence? evidence, string statusIfEvidenceTaken, DecisionRow? decision, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            var existing = FindByContent(c, t, start);
            if (existing is not null)
            {
                if (decision is not null)
                {
                    DecisionRepository.Insert(c, t, decision); // decided all the same, though a resend raced it here
                }

                return existing;
            }

            bool evidenceTaken = evidence is not null && !EvidenceAvailable(c, t, evidence);
            string status = evidenceTaken ? statusIfEvidenceTaken : start.StartStatus;
            long? decisionId = decision is null
                ? null
                : DecisionRepository.Insert(c, t, decision with
                {
                    Result = status,
                    Reason = evidenceTaken ? "EvidenceAlreadyConsumed" : decision.Reason,
                });
            int id = c.ExecuteScalar<int>(
                """
                INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id,
                    start_status, created_at, decision_id, pre_verification_id, vin_report_id, biometric_token_id, driver_id, vehicle_id)
                VALUES (@ChargePointId, @ConnectorId, @IdTag, @MeterStart, @StartTimestamp, @ReservationId, @status, @now,
                    @DecisionId, @PreVerificationId, @VinReportId, @BiometricTokenId, @DriverId, @VehicleId)
                RETURNING id
                """, new { start.ChargePointId, start.ConnectorId, start.IdTag, start.MeterStart, start.StartTimestamp,
                    start.ReservationId, status, now, DecisionId = decisionId, evidence?.PreVerificationId, evidence?.VinReportId,
                    evidence?.BiometricTokenId, evidence?.DriverId, evidence?.VehicleId }, t);

            if (evidence is not null && !evidenceTaken)
            {
                c.Execute(
                    "UPDATE pre_verifications SET consumed_by_transaction_id = @id, consumed_at = @now WHERE id = @PreVerificationId",
                    new { id, now, evidence.PreVerificationId }, t);
                c.Execute(
                    "UPDATE biometric_tokens SET consumed_by_transaction_id = @id WHERE id = @BiometricTokenId",
                    new { id, evidence.BiometricTokenId }, t);
            }

            if (decision is not null)
            {
                c.Execute("UPDATE authorization_decisions SET transaction_id = @id WHERE id = @decisionId", new { id, decisionId }, t);
            }

            return new StartedTransaction(id, status, Created: true, evidenceTaken);
        }, cancellationToken);

    private static bool EvidenceAvailable(DbConnection c, DbTransaction t, TransactionEvidence evidence)
    {
        bool preVerificationFree = evidence.PreVerificationId is null || c.ExecuteScalar<bool>(
            "SELECT EXISTS (SELECT 1 FROM pre_verifications WHERE id = @PreVerificationId AND consumed_by_transaction_id IS NULL)", evidence, t);
        bool tokenFree = evidence.BiometricTokenId is null || c.ExecuteScalar<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM biometric_tokens
                           WHERE id = @BiometricTokenId AND consumed_by_transaction_id IS NULL AND discarded_at IS NULL)
            """, evidence, t);
        return preVerificationFree && tokenFree;
    }

    public Task<StartedTransaction?> FindByContentAsync(NewTransaction start, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindByContent(c, null, start), cancellationToken);

    private static StartedTransaction? FindByContent(DbConnection c, DbTransaction? t, NewTransaction start)
    {
        var row = c.QuerySingleOrDefault<TransactionRow>(
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

    public Task<bool> HasOpenTransactionOnConnectorAsync(string chargePointId, int connectorId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM transactions
                           WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND stop_timestamp IS NULL
                             AND start_status = 'Accepted')
            """, new { chargePointId, connectorId }), cancellationToken);

    public Task<TransactionRow?> GetAsync(int id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<TransactionRow>(
            "SELECT * FROM transactions WHERE id = @id", new { id }), cancellationToken);

    public Task<IReadOnlyList<TransactionRow>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TransactionRow>>(c => c.Query<TransactionRow>(
            chargePointId is null ? ListSql : ListForChargePointSql, new { chargePointId, limit }).AsList(), cancellationToken);

    // Two texts, not "(@chargePointId IS NULL OR charge_point_id = @chargePointId)": SQLite plans a statement before it
    // sees its parameters, and for that OR it plans a scan of every transaction of every charge point.
    internal const string ListSql = "SELECT * FROM transactions ORDER BY id DESC LIMIT @limit";

    internal const string ListForChargePointSql = "SELECT * FROM transactions WHERE charge_point_id = @chargePointId ORDER BY id DESC LIMIT @limit";

    public Task<IReadOnlyList<MeterValueRow>> GetMeterValuesAsync(IReadOnlyCollection<int> transactionIds, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MeterValueRow>>(c => c.Query<MeterValueRow>(
            """
            SELECT mv.* FROM meter_values mv
            JOIN transactions t ON t.id = mv.transaction_id AND t.charge_point_id = mv.charge_point_id
            WHERE mv.transaction_id IN @transactionIds ORDER BY mv.id
            """,
            new { transactionIds }).AsList(), cancellationToken);

    /// <summary>
    /// Stores a StopTransaction with its transaction data. Returns false when the transaction is unknown
    /// (it is then kept in <c>unmatched_stop_transactions</c>).
    /// </summary>
    /// <summary>Stores a stop (an unknown transaction is kept as unmatched); <paramref name="inSameCommit"/> writes more in the same commit.</summary>
    public Task<bool> StopAsync(
        TransactionStop stop, IReadOnlyList<MeterValueRow> transactionData, DateTimeOffset now, CancellationToken cancellationToken,
        Action<DbConnection, DbTransaction>? inSameCommit = null) =>
        database.WriteAsync((c, t) =>
        {
            int matched = c.Execute(
                """
                UPDATE transactions SET meter_stop = @MeterStop, stop_timestamp = @StopTimestamp, stop_reason = @Reason,
                    stop_id_tag = @IdTag, stopped_at = @now
                WHERE id = @TransactionId AND charge_point_id = @ChargePointId AND stop_timestamp IS NULL
                """, new { stop.MeterStop, stop.StopTimestamp, stop.Reason, stop.IdTag, now, stop.TransactionId, stop.ChargePointId }, t);
            bool known = matched == 1 || c.ExecuteScalar<bool>(
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
            if (matched == 1 || !known)
            {
                c.Execute(InsertMeterValueSql, transactionData, t);
            }

            inSameCommit?.Invoke(c, t);
            return known;
        }, cancellationToken);

    public Task InsertMeterValuesAsync(IReadOnlyList<MeterValueRow> values, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute(InsertMeterValueSql, values, t), cancellationToken);
}
