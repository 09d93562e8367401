using OcppServer.ChargePoints;

namespace OcppServer.Authorization.Evidence;

/// <summary>
/// Per-connector evidence (VIN reports, biometric tokens), the replay store of token ids, and the connector sessions the
/// evidence belongs to. Evidence counts only while the connector's session that it was given in is open.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Stores a VIN report, and the DataTransfer that carried it (<paramref name="transfer"/>) in the same commit.</summary>
    Task<long> InsertVinReportAsync(VinReportRecord report, DataTransferRecord? transfer, CancellationToken cancellationToken);

    /// <summary>Stores a token that failed verification, and the DataTransfer that carried it in the same commit.</summary>
    Task<long> InsertBiometricTokenAsync(BiometricTokenRecord token, DataTransferRecord? transfer, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a token whose signature and claims are valid, recording its jti (per signing reader key) and the DataTransfer
    /// that carried it in the same commit. A jti of this key seen before and not yet expired is a replay: the token is then
    /// stored as refused (<see cref="ReplayedReason"/>) without its match, and its DataTransfer as Rejected.
    /// </summary>
    Task<(long Id, bool Replayed)> InsertVerifiedBiometricTokenAsync(
        BiometricTokenRecord token, DateTimeOffset rememberJtiUntil, DateTimeOffset now, DataTransferRecord? transfer, CancellationToken cancellationToken);

    /// <summary>The connector's latest VIN report of its current session, received since <paramref name="since"/>, not discarded.</summary>
    Task<VinReportRecord?> GetLatestVinReportAsync(string chargePointId, int connectorId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The connector's latest biometric token of its current session, received since <paramref name="since"/>, not discarded or consumed.</summary>
    Task<BiometricTokenRecord?> GetLatestBiometricTokenAsync(string chargePointId, int connectorId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>One VIN report by its id (whatever its state): the evidence a decision names.</summary>
    Task<VinReportRecord?> GetVinReportAsync(long id, CancellationToken cancellationToken);

    /// <summary>One biometric token record by its id (whatever its state): the evidence a decision names. It holds no template.</summary>
    Task<BiometricTokenRecord?> GetBiometricTokenAsync(long id, CancellationToken cancellationToken);

    /// <summary>Connectors of the charge point with live evidence of their current session, most recent first.</summary>
    Task<IReadOnlyList<int>> GetConnectorsWithEvidenceAsync(string chargePointId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Ends every connector session of the charge point and discards their evidence (a reboot or a new connection: the
    /// charger's view of its connectors starts over). Returns how many evidence items were discarded.
    /// </summary>
    Task<int> EndSessionsAsync(string chargePointId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets token ids whose tokens have expired (a replay of them is refused as expired anyway).</summary>
    Task<int> PurgeExpiredJtisAsync(DateTimeOffset now, CancellationToken cancellationToken);

    public const string ReplayedReason = "Replayed";
}
