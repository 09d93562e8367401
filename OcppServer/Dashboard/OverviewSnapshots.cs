using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.PreVerification;
using OcppServer.ChargePoints;
using OcppServer.Ocpp.Connections;
using OcppServer.Security;
using OcppServer.Telemetry;
using OcppServer.Transactions;

namespace OcppServer.Dashboard;

public sealed record DecisionCount(string Result, string Reason, string ReasonInWords, long Count);

public sealed record CameraLastCapture(string CameraId, string StationId, string? Plate, string Verdict, DateTimeOffset CapturedAt);

public sealed record SecurityEventLine(DateTimeOffset OccurredAt, string? ChargePointId, string Type, string? TechInfo);

/// <summary>What the overview page shows and its live stream sends.</summary>
public sealed record OverviewSnapshot(
    DateTimeOffset TakenAt,
    int Registered,
    int Online,
    int Offline,
    int Faulted,
    long SessionsRunning,
    long DecisionsLastHour,
    long RefusedLastHour,
    IReadOnlyList<DecisionCount> Decisions,
    long CameraQueue,
    IReadOnlyList<CameraLastCapture> Cameras,
    IReadOnlyList<SecurityEventLine> SecurityEvents);

/// <summary>
/// Computes the overview at most once per <see cref="MaxAge"/> however many browsers watch it, so an open dashboard
/// costs the OCPP path a few small queries every couple of seconds, not a query per browser.
/// </summary>
public sealed class OverviewSnapshots(
    IChargePointStore chargePoints, ITransactionStore transactions, IDecisionStore decisions, IPreVerificationStore preVerifications,
    ISecurityEventLog securityEvents, ChargePointConnectionRegistry connections, OcppAuthTelemetry telemetry, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private OverviewSnapshot? _latest;

    public async Task<OverviewSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var latest = Volatile.Read(ref _latest);
        if (latest is not null && time.GetUtcNow() - latest.TakenAt < MaxAge)
        {
            return latest;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            latest = _latest;
            if (latest is not null && time.GetUtcNow() - latest.TakenAt < MaxAge)
            {
                return latest;
            }

            latest = await ComputeAsync(cancellationToken);
            Volatile.Write(ref _latest, latest);
            return latest;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OverviewSnapshot> ComputeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var registered = await chargePoints.ListAsync(cancellationToken);
        var connectors = await chargePoints.GetAllConnectorsAsync(cancellationToken);
        int online = registered.Count(c => connections.TryGet(c.Id, out _));
        int faulted = connectors.Where(c => c.Status == "Faulted").Select(c => c.ChargePointId).Distinct(StringComparer.Ordinal).Count();
        var tallies = await decisions.TallySinceAsync(now.AddHours(-1), cancellationToken);
        var captures = await preVerifications.ListAsync(null, 200, cancellationToken);
        var cameras = captures.Where(p => p.CameraId is not null)
            .GroupBy(p => p.CameraId!, StringComparer.Ordinal)
            .Select(g => g.MaxBy(p => p.CapturedAt)!)
            .OrderBy(p => p.CameraId, StringComparer.Ordinal)
            .Select(p => new CameraLastCapture(p.CameraId!, p.StationId, p.Plate, p.Verdict, p.CapturedAt))
            .ToList();
        var events = await securityEvents.ListAsync(null, 8, cancellationToken);
        return new OverviewSnapshot(
            now,
            registered.Count,
            online,
            registered.Count - online,
            faulted,
            await transactions.CountOpenAsync(cancellationToken),
            tallies.Sum(t => t.Count),
            tallies.Where(t => t.Result != "Accepted").Sum(t => t.Count),
            tallies.Select(t => new DecisionCount(t.Result, t.Reason, DecisionReasons.Describe(DecisionReasons.Parse(t.Reason)), t.Count)).ToList(),
            telemetry.CameraQueueDepth,
            cameras,
            events.Select(e => new SecurityEventLine(e.OccurredAt, e.ChargePointId, e.Type, e.TechInfo)).ToList());
    }
}
