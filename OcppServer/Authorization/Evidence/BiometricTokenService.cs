using OcppServer.Authorization.Biometrics;
using OcppServer.ChargePoints;

namespace OcppServer.Authorization.Evidence;

/// <summary>Outcome of a biometric token: stored as evidence either way; <see cref="Matched"/> only for a verified and matched one.</summary>
public sealed record BiometricTokenOutcome(long TokenId, bool Matched, string Reason, string? DriverId);

/// <summary>Verifies and matches a token from a charge point's biometric reader and stores it as the connector's biometric evidence.</summary>
public sealed class BiometricTokenService(
    BiometricTokenVerifier verifier,
    BiometricMatcher matcher,
    IEvidenceStore evidence,
    StationPolicyProvider stations,
    TimeProvider time)
{
    /// <summary>
    /// Verifies, matches and stores <paramref name="token"/>; <paramref name="transfer"/>, the DataTransfer that carried it,
    /// is logged in the same commit, Accepted only when the outcome is <see cref="BiometricTokenOutcome.Matched"/>.
    /// </summary>
    public async Task<BiometricTokenOutcome> ProcessAsync(
        string chargePointId, int connectorId, string token, DataTransferRecord? transfer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var policy = (await stations.GetForChargePointAsync(chargePointId, cancellationToken))?.Policy ?? stations.Defaults;
        var verification = await verifier.VerifyAsync(chargePointId, connectorId, token, policy.MinLiveness, cancellationToken);
        var row = new BiometricTokenRecord
        {
            ChargePointId = chargePointId,
            ConnectorId = connectorId,
            Jti = verification.Jti,
            KeyId = verification.KeyId,
            Verified = verification.IsValid,
            Reason = verification.Reason,
            ReceivedAt = now,
        };

        if (verification.Claims is not { } claims)
        {
            long refusedId = await evidence.InsertBiometricTokenAsync(row, transfer?.Answered(accepted: false), cancellationToken);
            return new BiometricTokenOutcome(refusedId, false, verification.Reason, null);
        }

        // Identification over the whole gallery; the gate compares the identified driver with the one the id tag names.
        var match = await matcher.MatchAsync(claims.Template, policy.BiometricThreshold, cancellationToken);
        row = row with
        {
            MatchedDriverId = match.Matched ? match.DriverId : null,
            Similarity = match.Similarity,
            RunnerUpSimilarity = match.RunnerUp,
            Liveness = claims.Liveness,
            Reason = match.Reason,
            IssuedAt = claims.IssuedAt,
            ExpiresAt = claims.ExpiresAt,
        };
        var (id, replayed) = await evidence.InsertVerifiedBiometricTokenAsync(
            row, claims.RememberJtiUntil, now, transfer?.Answered(accepted: match.Matched), cancellationToken);
        return replayed
            ? new BiometricTokenOutcome(id, false, IEvidenceStore.ReplayedReason, null)
            : new BiometricTokenOutcome(id, match.Matched, match.Reason, row.MatchedDriverId);
    }
}
