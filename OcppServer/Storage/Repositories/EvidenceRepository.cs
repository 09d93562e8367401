using System.Data.Common;
using Dapper;

namespace OcppServer.Storage.Repositories;

/// <summary>Per-connector evidence (VIN reports, biometric tokens), the jti replay store, and their life cycle.</summary>
public sealed class EvidenceRepository(SqliteDatabase database)
{
    /// <summary>Stores a VIN report, and the DataTransfer that carried it (<paramref name="transfer"/>) in the same commit.</summary>
    public Task<long> InsertVinReportAsync(VinReportRow report, DataTransferRow? transfer, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            long id = c.ExecuteScalar<long>(
                """
                INSERT INTO vin_reports (charge_point_id, connector_id, vin, evcc_id, protocol, valid, reason, received_at)
                VALUES (@ChargePointId, @ConnectorId, @Vin, @EvccId, @Protocol, @Valid, @Reason, @ReceivedAt)
                RETURNING id
                """, report, t);
            Log(c, t, transfer);
            return id;
        }, cancellationToken);

    /// <summary>Stores a token that failed verification, and the DataTransfer that carried it in the same commit.</summary>
    public Task<long> InsertBiometricTokenAsync(BiometricTokenRow token, DataTransferRow? transfer, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) =>
        {
            long id = c.ExecuteScalar<long>(InsertBiometricTokenSql, token, t);
            Log(c, t, transfer);
            return id;
        }, cancellationToken);

    private static void Log(DbConnection connection, DbTransaction transaction, DataTransferRow? transfer)
    {
        if (transfer is not null)
        {
            connection.Execute(ChargePointRepository.InsertDataTransferSql, transfer, transaction);
        }
    }

    private const string InsertBiometricTokenSql =
        """
        INSERT INTO biometric_tokens (charge_point_id, connector_id, jti, key_id, verified, matched_driver_id, similarity,
            runner_up_similarity, liveness, reason, issued_at, expires_at, received_at)
        VALUES (@ChargePointId, @ConnectorId, @Jti, @KeyId, @Verified, @MatchedDriverId, @Similarity, @RunnerUpSimilarity,
            @Liveness, @Reason, @IssuedAt, @ExpiresAt, @ReceivedAt)
        RETURNING id
        """;

    /// <summary>The connector's latest VIN report received since <paramref name="since"/> and not discarded.</summary>
    public Task<VinReportRow?> GetLatestVinReportAsync(string chargePointId, int connectorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<VinReportRow>(LatestVinReportSql, new { chargePointId, connectorId, since }), cancellationToken);

    internal const string LatestVinReportSql =
        """
        SELECT * FROM vin_reports
        WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL AND received_at >= @since
        ORDER BY id DESC LIMIT 1
        """;

    /// <summary>The connector's latest biometric token received since <paramref name="since"/>, not discarded or consumed.</summary>
    public Task<BiometricTokenRow?> GetLatestBiometricTokenAsync(string chargePointId, int connectorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QueryFirstOrDefault<BiometricTokenRow>(LatestBiometricTokenSql, new { chargePointId, connectorId, since }), cancellationToken);

    internal const string LatestBiometricTokenSql =
        """
        SELECT * FROM biometric_tokens
        WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL
          AND consumed_by_transaction_id IS NULL AND received_at >= @since
        ORDER BY id DESC LIMIT 1
        """;

    /// <summary>Connectors of the charge point with live evidence, most recent first.</summary>
    public Task<IReadOnlyList<int>> GetConnectorsWithEvidenceAsync(string chargePointId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<int>>(c => c.Query<int>(ConnectorsWithEvidenceSql, new { chargePointId, since }).AsList(), cancellationToken);

    internal const string ConnectorsWithEvidenceSql =
        """
        SELECT connector_id FROM (
            SELECT connector_id, received_at FROM vin_reports
            WHERE charge_point_id = @chargePointId AND discarded_at IS NULL AND received_at >= @since
            UNION ALL
            SELECT connector_id, received_at FROM biometric_tokens
            WHERE charge_point_id = @chargePointId AND discarded_at IS NULL AND consumed_by_transaction_id IS NULL AND received_at >= @since)
        GROUP BY connector_id ORDER BY MAX(received_at) DESC
        """;

    /// <summary>
    /// Discards the connector's evidence (cable unplugged, transaction stopped) inside a write that is already running,
    /// so it commits with that write. Returns how many items were discarded.
    /// </summary>
    public static int Discard(DbConnection c, DbTransaction t, string chargePointId, int connectorId, DateTimeOffset now) =>
        c.Execute(
            "UPDATE vin_reports SET discarded_at = @now WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL",
            new { chargePointId, connectorId, now }, t)
        + c.Execute(
            "UPDATE biometric_tokens SET discarded_at = @now WHERE charge_point_id = @chargePointId AND connector_id = @connectorId AND discarded_at IS NULL",
            new { chargePointId, connectorId, now }, t);

    /// <summary>
    /// Stores a token whose signature and claims are valid, recording its jti (per signing reader key) and the
    /// DataTransfer that carried it in the same commit. A jti of this key seen before and not yet expired is a replay: the token is then stored as refused
    /// ("Replayed") without its match, and its DataTransfer as Rejected.
    /// </summary>
    public Task<(long Id, bool Replayed)> InsertVerifiedBiometricTokenAsync(
        BiometricTokenRow token, DateTimeOffset rememberJtiUntil, DateTimeOffset now, DataTransferRow? transfer, CancellationToken cancellationToken) =>
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
            var stored = replayed ? new BiometricTokenRow
            {
                ChargePointId = token.ChargePointId, ConnectorId = token.ConnectorId, Jti = jti, KeyId = token.KeyId, Verified = false,
                Reason = ReplayedReason, ReceivedAt = token.ReceivedAt,
            } : token;
            long id = c.ExecuteScalar<long>(InsertBiometricTokenSql, stored, t);
            Log(c, t, replayed ? transfer?.Answered(accepted: false) : transfer);
            return (id, replayed);
        }, cancellationToken);

    public const string ReplayedReason = "Replayed";

    public Task<int> PurgeExpiredJtisAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.Execute("DELETE FROM token_replay WHERE expires_at < @now", new { now }, t), cancellationToken);
}
