using System.Data.Common;
using Dapper;

using OcppServer.Authorization.Evidence;
using OcppServer.ChargePoints;

namespace OcppServer.Storage.Sql;

/// <summary>Per-connector evidence (VIN reports, biometric tokens), the jti replay store, and connector sessions.</summary>
internal sealed class SqlEvidenceStore(IRelationalDatabase database) : IEvidenceStore
{
    /// <summary>Stores a VIN report, and the DataTransfer that carried it (<paramref name="transfer"/>) in the same commit.</summary>
    public Task<long> InsertVinReportAsync(VinReportRecord report, DataTransferRecord? transfer, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            long id = c.ExecuteScalar<long>(
                """
                INSERT INTO vin_reports (charge_point_id, connector_id, vin, evcc_id, protocol, valid, reason, received_at)
                VALUES (@ChargePointId, @ConnectorId, @Vin, @EvccId, @Protocol, @Valid, @Reason, @ReceivedAt)
                RETURNING id
                """, report, t);
            DataTransferLog.Insert(c, t, transfer);
            return id;
        }, cancellationToken);

    /// <summary>Stores a token that failed verification, and the DataTransfer that carried it in the same commit.</summary>
    public Task<long> InsertBiometricTokenAsync(BiometricTokenRecord token, DataTransferRecord? transfer, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            long id = c.ExecuteScalar<long>(InsertBiometricTokenSql, token, t);
            DataTransferLog.Insert(c, t, transfer);
            return id;
        }, cancellationToken);

    private const string InsertBiometricTokenSql =
        """
        INSERT INTO biometric_tokens (charge_point_id, connector_id, jti, key_id, verified, matched_driver_id, similarity,
            runner_up_similarity, liveness, reason, issued_at, expires_at, received_at)
        VALUES (@ChargePointId, @ConnectorId, @Jti, @KeyId, @Verified, @MatchedDriverId, @Similarity, @RunnerUpSimilarity,
            @Liveness, @Reason, @IssuedAt, @ExpiresAt, @ReceivedAt)
        RETURNING id
        """;

    // Evidence counts only when received during the connector's current session (ConnectorSessions): no open session,
    // no evidence. The subquery reads one row by primary key.
    private const string InCurrentSession =
        """
        received_at >= (SELECT session_started_at FROM connectors
                        WHERE connectors.charge_point_id = @chargePointId AND connectors.connector_id = @connectorId)
        """;

    /// <summary>The connector's latest VIN report of its current session, received since <paramref name="since"/>, not discarded.</summary>
    public Task<VinReportRecord?> GetLatestVinReportAsync(string chargePointId, int connectorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<VinReportRecord>(LatestVinReportSql, new { chargePointId, connectorId, since }), cancellationToken);

    internal const string LatestVinReportSql =
        $"""
        SELECT * FROM vin_reports
        WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL AND received_at >= @since
          AND {InCurrentSession}
        ORDER BY id DESC LIMIT 1
        """;

    /// <summary>The connector's latest biometric token of its current session, received since <paramref name="since"/>, not discarded or consumed.</summary>
    public Task<BiometricTokenRecord?> GetLatestBiometricTokenAsync(string chargePointId, int connectorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<BiometricTokenRecord>(LatestBiometricTokenSql, new { chargePointId, connectorId, since }), cancellationToken);

    internal const string LatestBiometricTokenSql =
        $"""
        SELECT * FROM biometric_tokens
        WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL
          AND consumed_by_transaction_id IS NULL AND received_at >= @since
          AND {InCurrentSession}
        ORDER BY id DESC LIMIT 1
        """;

    public Task<VinReportRecord?> GetVinReportAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<VinReportRecord>("SELECT * FROM vin_reports WHERE id = @id", new { id }), cancellationToken);

    public Task<BiometricTokenRecord?> GetBiometricTokenAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<BiometricTokenRecord>("SELECT * FROM biometric_tokens WHERE id = @id", new { id }), cancellationToken);

    /// <summary>Connectors of the charge point with live evidence of their current session, most recent first.</summary>
    public Task<IReadOnlyList<int>> GetConnectorsWithEvidenceAsync(string chargePointId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<int>>(c => c.Query<int>(ConnectorsWithEvidenceSql, new { chargePointId, since }).AsList(), cancellationToken);

    internal const string ConnectorsWithEvidenceSql =
        """
        SELECT e.connector_id FROM (
            SELECT connector_id, received_at FROM vin_reports
            WHERE charge_point_id = @chargePointId AND discarded_at IS NULL AND received_at >= @since
            UNION ALL
            SELECT connector_id, received_at FROM biometric_tokens
            WHERE charge_point_id = @chargePointId AND discarded_at IS NULL AND consumed_by_transaction_id IS NULL AND received_at >= @since) e
        JOIN connectors c ON c.charge_point_id = @chargePointId AND c.connector_id = e.connector_id AND e.received_at >= c.session_started_at
        GROUP BY e.connector_id ORDER BY MAX(e.received_at) DESC
        """;

    /// <summary>
    /// Ends every connector session of the charge point and discards their evidence (a reboot or a new connection: the
    /// charger's view of its connectors starts over). Returns how many evidence items were discarded.
    /// </summary>
    public Task<int> EndSessionsAsync(string chargePointId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            var parameters = new { chargePointId, now };
            c.Execute("UPDATE connectors SET session_started_at = NULL WHERE charge_point_id = @chargePointId AND session_started_at IS NOT NULL", parameters, t);
            return c.Execute("UPDATE vin_reports SET discarded_at = @now WHERE charge_point_id = @chargePointId AND discarded_at IS NULL", parameters, t)
                + c.Execute("UPDATE biometric_tokens SET discarded_at = @now WHERE charge_point_id = @chargePointId AND discarded_at IS NULL", parameters, t);
        }, cancellationToken);

    /// <summary>
    /// Stores a token whose signature and claims are valid, recording its jti (per signing reader key) and the
    /// DataTransfer that carried it in the same commit. A jti of this key seen before and not yet expired is a replay: the token is then stored as refused
    /// ("Replayed") without its match, and its DataTransfer as Rejected.
    /// </summary>
    public Task<(long Id, bool Replayed)> InsertVerifiedBiometricTokenAsync(
        BiometricTokenRecord token, DateTimeOffset rememberJtiUntil, DateTimeOffset now, DataTransferRecord? transfer, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            string jti = token.Jti ?? throw new ArgumentException("A verified token has a jti", nameof(token));
            string keyId = token.KeyId ?? throw new ArgumentException("A verified token has a key id", nameof(token));
            c.Execute("DELETE FROM token_replay WHERE key_id = @keyId AND jti = @jti AND expires_at < @now", new { keyId, jti, now }, t);
            bool replayed = c.Execute(
                """
                INSERT INTO token_replay (key_id, jti, expires_at) VALUES (@keyId, @jti, @rememberJtiUntil)
                ON CONFLICT (key_id, jti) DO NOTHING
                """,
                new { keyId, jti, rememberJtiUntil }, t) == 0;
            var stored = replayed ? new BiometricTokenRecord
            {
                ChargePointId = token.ChargePointId, ConnectorId = token.ConnectorId, Jti = jti, KeyId = token.KeyId, Verified = false,
                Reason = IEvidenceStore.ReplayedReason, ReceivedAt = token.ReceivedAt,
            } : token;
            long id = c.ExecuteScalar<long>(InsertBiometricTokenSql, stored, t);
            DataTransferLog.Insert(c, t, replayed ? transfer?.Answered(accepted: false) : transfer);
            return (id, replayed);
        }, cancellationToken);

    public Task<int> PurgeExpiredJtisAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute("DELETE FROM token_replay WHERE expires_at < @now", new { now }, t), cancellationToken);
}
