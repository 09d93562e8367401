using Microsoft.Extensions.Options;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.PreVerification;
using OcppServer.Registry;

namespace OcppServer.Authorization.Gate;

/// <summary>What the evidence on one connector says about one driver.</summary>
public sealed record ConnectorEvaluation(
    int ConnectorId, IReadOnlyList<FactorResult> Factors, string? VehicleId, string? PreVerificationId, long? VinReportId, long? BiometricTokenId)
{
    public bool AllRequiredPassed => Factors.All(f => f.Ok);

    public FactorResult? FirstFailure => Factors.FirstOrDefault(f => !f.Ok);
}

/// <summary>
/// Evaluates the three factors on a connector for a driver: VIN → registered vehicle the driver may drive;
/// a Passed, unconsumed pre-verification at this station for that vehicle within the window; a biometric token
/// on this connector matched to this same driver.
/// </summary>
public sealed class EvidenceEvaluator(
    IEvidenceStore evidence,
    IVehicleStore vehicles,
    IPreVerificationStore preVerifications,
    IOptionsMonitor<AuthorizationOptions> options,
    TimeProvider time)
{
    public async Task<ConnectorEvaluation> EvaluateAsync(
        string chargePointId, int connectorId, string driverId, StationContext station, CancellationToken cancellationToken)
    {
        var policy = station.Policy;
        var now = time.GetUtcNow();
        var evidenceSince = now - TimeSpan.FromMinutes(policy.EvidenceWindowMinutes);

        var (vinFactor, vehicle, vinReportId) = await EvaluateVinAsync(chargePointId, connectorId, driverId, policy, evidenceSince, cancellationToken);
        var (preFactor, preVerificationId) = await EvaluatePreVerificationAsync(station, driverId, vehicle, vinFactor, now, cancellationToken);
        var (bioFactor, tokenId) = await EvaluateBiometricAsync(chargePointId, connectorId, driverId, policy, evidenceSince, cancellationToken);

        return new ConnectorEvaluation(connectorId, [vinFactor, preFactor, bioFactor], vehicle?.Id, preVerificationId, vinReportId, tokenId);
    }

    private async Task<(FactorResult Factor, VehicleRecord? Vehicle, long? ReportId)> EvaluateVinAsync(
        string chargePointId, int connectorId, string driverId, StationPolicy policy, DateTimeOffset since, CancellationToken cancellationToken)
    {
        bool required = policy.RequireVin;
        var report = await evidence.GetLatestVinReportAsync(chargePointId, connectorId, since, cancellationToken);
        if (report is null)
        {
            return (required ? Fail(DecisionReason.NoVinReported) : FactorResult.NotRequired(Factors.Vin), null, null);
        }

        string reportId = report.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!report.Valid)
        {
            return (required ? Fail(report.Reason is null ? DecisionReason.InvalidVin : DecisionReasons.Parse(report.Reason), reportId) : FactorResult.NotRequired(Factors.Vin), null, report.Id);
        }

        var vehicle = await vehicles.GetByVinAsync(report.Vin, cancellationToken);
        DecisionReason? problem = vehicle is null ? DecisionReason.VehicleUnknown
            : vehicle.Blocked ? DecisionReason.VehicleBlocked
            : !await vehicles.MayDriveAsync(vehicle.Id, driverId, cancellationToken) ? DecisionReason.DriverNotAllowedForVehicle
            : null;
        if (problem is not null)
        {
            // Even when the VIN is not required, a reported VIN that contradicts the driver is not ignored.
            return (new FactorResult(Factors.Vin, required, false, problem.Value, reportId), null, report.Id);
        }

        return (new FactorResult(Factors.Vin, required, true, DecisionReason.VinMatched, reportId), vehicle, report.Id);

        FactorResult Fail(DecisionReason reason, string? evidenceId = null) => new(Factors.Vin, true, false, reason, evidenceId);
    }

    private async Task<(FactorResult Factor, string? PreVerificationId)> EvaluatePreVerificationAsync(
        StationContext station, string driverId, VehicleRecord? vehicle, FactorResult vinFactor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = station.Policy;
        if (!policy.RequirePreVerification)
        {
            return (FactorResult.NotRequired(Factors.PreVerification), null);
        }

        // The vehicle is the one the VIN names; without a VIN factor, any vehicle the driver may drive.
        IReadOnlyList<VehicleRecord> candidates = vehicle is not null ? [vehicle]
            : policy.RequireVin || !vinFactor.Ok ? []
            : (await vehicles.ListForDriverAsync(driverId, cancellationToken)).Where(v => !v.Blocked).ToList();
        var since = now - TimeSpan.FromMinutes(policy.PreVerificationWindowMinutes);
        var match = candidates.Count == 0 ? null
            : await preVerifications.FindOpenPassedAsync(station.StationId, candidates.Select(v => v.Id).ToList(), since, cancellationToken);
        if (match is not null)
        {
            return (new FactorResult(Factors.PreVerification, true, true, DecisionReason.PreVerified, match.Id, match.Confidence), match.Id);
        }

        if (await IsCameraOutageAsync(station.StationId, now, cancellationToken))
        {
            return policy.CameraOutage == CameraOutageBehaviour.SkipPreVerification
                ? (new FactorResult(Factors.PreVerification, true, true, DecisionReason.SkippedCameraOutage), null)
                : (new FactorResult(Factors.PreVerification, true, false, DecisionReason.CameraOutage), null);
        }

        if (candidates.Count == 0)
        {
            return (new FactorResult(Factors.PreVerification, true, false, DecisionReason.NoVerifiedVehicle), null);
        }

        var reason = await DiagnoseAsync(station.StationId, candidates, since, now, cancellationToken);
        return (new FactorResult(Factors.PreVerification, true, false, reason), null);
    }

    /// <summary>Why no usable record exists, as precisely as the records allow.</summary>
    private async Task<DecisionReason> DiagnoseAsync(
        string stationId, IReadOnlyList<VehicleRecord> candidates, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recent = new List<PreVerificationRecord>();
        foreach (var candidate in candidates)
        {
            recent.AddRange(await preVerifications.ListRecentForVehicleAsync(candidate.Id, now - TimeSpan.FromDays(1), cancellationToken));
        }

        var passed = recent.Where(p => p.Verdict == PreVerificationVerdicts.Passed).ToList();
        if (passed.Any(p => p.StationId == stationId && p.CreatedAt >= since && p.ConsumedByTransactionId is not null))
        {
            return DecisionReason.PreVerificationConsumed;
        }

        if (passed.Any(p => p.StationId != stationId && p.CreatedAt >= since))
        {
            return DecisionReason.PreVerificationAtOtherStation;
        }

        if (passed.Any(p => p.StationId == stationId && p.CreatedAt < since))
        {
            return DecisionReason.PreVerificationExpired;
        }

        if (recent.FirstOrDefault(p => p.StationId == stationId && p.CreatedAt >= since) is { } failed)
        {
            return DecisionReasons.ForPreVerificationVerdict(failed.Verdict);
        }

        // A plate read at the entrance belongs to another registered vehicle than the VIN: a cloned plate or a swapped car.
        return await preVerifications.AnyOpenPassedAsync(stationId, since, cancellationToken) ? DecisionReason.VinDoesNotMatchPreVerifiedVehicle : DecisionReason.NoPreVerification;
    }

    private async Task<bool> IsCameraOutageAsync(string stationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lastSeen = await preVerifications.GetLastCameraActivityAsync(stationId, cancellationToken);
        return lastSeen is not null && now - lastSeen > TimeSpan.FromMinutes(options.CurrentValue.CameraOutageMinutes);
    }

    private async Task<(FactorResult Factor, long? TokenId)> EvaluateBiometricAsync(
        string chargePointId, int connectorId, string driverId, StationPolicy policy, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!policy.RequireBiometric)
        {
            return (FactorResult.NotRequired(Factors.Biometric), null);
        }

        var token = await evidence.GetLatestBiometricTokenAsync(chargePointId, connectorId, since, cancellationToken);
        if (token is null)
        {
            return (new FactorResult(Factors.Biometric, true, false, DecisionReason.NoBiometricToken), null);
        }

        string tokenId = token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!token.Verified || token.MatchedDriverId is null)
        {
            return (new FactorResult(Factors.Biometric, true, false, DecisionReasons.Parse(token.Reason), tokenId, token.Similarity), null);
        }

        return token.MatchedDriverId == driverId
            ? (new FactorResult(Factors.Biometric, true, true, DecisionReason.BiometricMatched, tokenId, token.Similarity), token.Id)
            : (new FactorResult(Factors.Biometric, true, false, DecisionReason.BiometricMatchesAnotherDriver, tokenId, token.Similarity), null);
    }
}
