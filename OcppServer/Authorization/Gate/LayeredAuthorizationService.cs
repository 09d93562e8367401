using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.Hardening;
using OcppServer.ChargePoints;
using OcppServer.Registry;
using OcppServer.Transactions;

namespace OcppServer.Authorization.Gate;

/// <summary>
/// The gate in front of Authorize, StartTransaction and server-started charging. The id tag must be valid and belong to
/// an unblocked driver; then, as the station's policy requires, the connector's VIN, the station's pre-verification
/// and the connector's biometric token must all point to that driver and one vehicle. Every decision is recorded.
/// A charge point that belongs to no station is refused (NoLayeredPolicy), unless the operator explicitly set it to be
/// decided on its id tag alone (IdTagOnly).
/// </summary>
public sealed class LayeredAuthorizationService(
    IdTagAuthorizationService idTags,
    IChargePointStore chargePoints,
    IDriverStore drivers,
    IEvidenceStore evidence,
    IDecisionStore decisions,
    StationPolicyProvider stations,
    EvidenceEvaluator evaluator,
    ChargerTrust trust,
    IOptionsMonitor<AuthorizationOptions> options,
    TimeProvider time) : IAuthorizationService
{
    private static readonly JsonSerializerOptions FactorJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var result = await DecideAsync(request, cancellationToken);
        if (result.Unrecorded is not { } decision)
        {
            return result;
        }

        await decisions.InsertAsync(decision, cancellationToken);
        return result with { Unrecorded = null };
    }

    public async Task<AuthorizationResult> DecideAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var tag = await idTags.AuthorizeAsync(request, cancellationToken);
        if (request.Phase == AuthorizationPhase.StopTransaction)
        {
            return tag; // the answer to a stop changes nothing; only the id tag's status is reported
        }

        var tagFactor = new FactorResult(Factors.IdTag, true, tag.IsAccepted, tag.Reason);
        var station = await stations.GetForChargePointAsync(request.ChargePointId, cancellationToken);
        if (station is null && await chargePoints.GetAuthorizationModeAsync(request.ChargePointId, cancellationToken) != ChargePointAuthorizationModes.IdTagOnly)
        {
            // Fail closed: a charge point with no station has no layered policy, and only the operator may waive it.
            return Decided(request, Refused(DecisionReason.NoLayeredPolicy), null, null,
                [tagFactor, new FactorResult(Factors.Policy, true, false, DecisionReason.NoLayeredPolicy)], null);
        }

        if (!tag.IsAccepted || station is null || !station.Policy.RequiresAnyFactor)
        {
            var reason = tag.IsAccepted ? (station is null ? DecisionReason.IdTagOnlyByOperator : DecisionReason.NoFactorRequired) : tag.Reason;
            return Decided(request, tag with { Reason = reason }, null, null, [tagFactor], null);
        }

        if (station.Policy.UntrustedChargePoint == UntrustedChargePointBehaviour.Deny
            && await trust.UntrustedReasonAsync(request.ChargePointId, cancellationToken) is { } untrusted)
        {
            // The charger could start off line without asking: whatever it asks now, its sessions escape the gate.
            return Decided(request, Refused(untrusted), null, null,
                [tagFactor, new FactorResult(Factors.ChargePoint, true, false, untrusted)], null);
        }

        var driver = await drivers.GetByIdTagAsync(request.IdTag, cancellationToken);
        if (driver is null || driver.Blocked)
        {
            var reason = driver is null ? DecisionReason.IdTagNotLinkedToDriver : DecisionReason.DriverBlocked;
            var refused = new AuthorizationResult(driver is null ? AuthorizationOutcome.Invalid : AuthorizationOutcome.Blocked, reason);
            return Decided(request, refused, driver?.Id, null, [tagFactor with { Ok = false, Reason = reason }], null);
        }

        var evaluation = await EvaluateConnectorsAsync(request, driver.Id, station, cancellationToken);
        var factors = new[] { tagFactor }.Concat(evaluation.Factors).ToList();
        if (!evaluation.AllRequiredPassed)
        {
            return Decided(request with { ConnectorId = evaluation.ConnectorId }, Refused(evaluation.FirstFailure!.Reason),
                driver.Id, evaluation.VehicleId, factors, null);
        }

        var expiry = time.GetUtcNow().AddMinutes(options.CurrentValue.AcceptedExpiryMinutes);
        if (tag.ExpiryDate is { } tagExpiry && tagExpiry < expiry)
        {
            expiry = tagExpiry;
        }

        var links = new TransactionEvidence(evaluation.PreVerificationId, evaluation.VinReportId, evaluation.BiometricTokenId, driver.Id, evaluation.VehicleId);
        // A factor waived by the station's cameraOutage policy is named in the decision's reason, not only in its factor.
        var acceptedReason = factors.Any(f => f.Reason == DecisionReason.SkippedCameraOutage) ? DecisionReason.AcceptedCameraOutage : DecisionReason.Accepted;
        var accepted = new AuthorizationResult(AuthorizationOutcome.Accepted, acceptedReason, expiry, tag.ParentIdTag);
        return Decided(request with { ConnectorId = evaluation.ConnectorId }, accepted, driver.Id, evaluation.VehicleId, factors, links);
    }

    /// <summary>
    /// StartTransaction and RemoteStart name their connector. Authorize does not (OCPP 1.6): every connector of the
    /// charge point with live evidence is evaluated, and the answer is Accepted only when exactly one of them holds the
    /// complete evidence for this driver. With two, the charger could start on either (one of them perhaps another
    /// person's car): refused as AmbiguousConnector. StartTransaction re-checks its own connector anyway.
    /// </summary>
    private async Task<ConnectorEvaluation> EvaluateConnectorsAsync(
        AuthorizationRequest request, string driverId, StationContext station, CancellationToken cancellationToken)
    {
        if (request.ConnectorId is { } connectorId)
        {
            return await evaluator.EvaluateAsync(request.ChargePointId, connectorId, driverId, station, cancellationToken);
        }

        var since = time.GetUtcNow() - TimeSpan.FromMinutes(station.Policy.EvidenceWindowMinutes);
        ConnectorEvaluation? first = null;
        ConnectorEvaluation? passed = null;
        foreach (int candidate in await evidence.GetConnectorsWithEvidenceAsync(request.ChargePointId, since, cancellationToken))
        {
            var evaluation = await evaluator.EvaluateAsync(request.ChargePointId, candidate, driverId, station, cancellationToken);
            if (evaluation.AllRequiredPassed && passed is not null)
            {
                return Ambiguous(passed, evaluation);
            }

            passed ??= evaluation.AllRequiredPassed ? evaluation : null;
            first ??= evaluation;
        }

        if (passed is not null)
        {
            return passed;
        }

        // No connector has evidence: evaluate anyway (connector 0: none) so the decision names what is missing.
        return first ?? await evaluator.EvaluateAsync(request.ChargePointId, 0, driverId, station, cancellationToken);
    }

    /// <summary>Two connectors hold complete evidence for the driver: no connector is named, the factors of the first are shown.</summary>
    private static ConnectorEvaluation Ambiguous(ConnectorEvaluation one, ConnectorEvaluation other) =>
        new(0, [.. one.Factors, new FactorResult(Factors.Connector, true, false, DecisionReason.AmbiguousConnector,
            $"{one.ConnectorId},{other.ConnectorId}")], null, null, null, null);

    private static AuthorizationResult Refused(DecisionReason reason) => new(AuthorizationOutcome.Invalid, reason);

    private AuthorizationResult Decided(
        AuthorizationRequest request, AuthorizationResult answer, string? driverId, string? vehicleId, IReadOnlyList<FactorResult> factors,
        TransactionEvidence? links)
    {
        var decision = new DecisionRecord
        {
            DecidedAt = time.GetUtcNow(),
            ChargePointId = request.ChargePointId,
            ConnectorId = request.ConnectorId is > 0 ? request.ConnectorId : null,
            IdTag = request.IdTag,
            Phase = request.Phase.ToString(),
            Result = answer.Outcome.ToString(),
            DriverId = driverId,
            VehicleId = vehicleId,
            Reason = answer.Reason.ToString(),
            Factors = JsonSerializer.Serialize(factors, FactorJson),
        };
        return answer with { Evidence = links, Unrecorded = decision };
    }
}
