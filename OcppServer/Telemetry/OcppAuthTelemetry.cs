using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OcppServer.Authorization;
using OcppServer.Authorization.Decisions;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Storage;
using OcppServer.Vision;

namespace OcppServer.Telemetry;

/// <summary>
/// The server's own metrics (one <see cref="Meter"/> named <see cref="Name"/>, from <see cref="IMeterFactory"/>) and
/// traces (one <see cref="ActivitySource"/> of the same name). Every instrument is created once, here; a measurement is
/// a counter or histogram update with at most three tags, all of them strings from small fixed sets (an OCPP action,
/// an error code, a decision's result and reason): no charge point id, id tag, VIN or biometric data is ever a label,
/// and traces carry the charge point id but never an id tag, a VIN or biometric data. The transport, storage and the
/// plate reader report through hooks they own (<see cref="IOcppTransportTelemetry"/>, <see cref="IStorageTelemetry"/>,
/// <see cref="IPlateReaderTelemetry"/>); the gate through <see cref="MeasuredAuthorizationService"/>.
/// </summary>
public sealed class OcppAuthTelemetry : IOcppTransportTelemetry, IStorageTelemetry, IPlateReaderTelemetry, IDisposable
{
    public const string Name = "OcppAuth";

    /// <summary>Other-text labels: what a charger sent that is not one of OCPP-J's error codes.</summary>
    public const string OtherErrorCode = "Other";

    private static readonly double[] ShortSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] ImageSeconds = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly FrozenSet<string> ErrorCodes = new[]
    {
        OcppErrorCode.NotImplemented, OcppErrorCode.NotSupported, OcppErrorCode.InternalError, OcppErrorCode.ProtocolError,
        OcppErrorCode.SecurityError, OcppErrorCode.FormationViolation, OcppErrorCode.PropertyConstraintViolation,
        OcppErrorCode.OccurenceConstraintViolation, OcppErrorCode.TypeConstraintViolation, OcppErrorCode.GenericError,
    }.ToFrozenSet(StringComparer.Ordinal);

    // Names of the enumerations as labels, computed once (no formatting per measurement).
    private static readonly FrozenDictionary<DecisionReason, string> ReasonNames = Enum.GetValues<DecisionReason>().ToFrozenDictionary(r => r, r => r.ToString());
    private static readonly FrozenDictionary<AuthorizationOutcome, string> OutcomeNames = Enum.GetValues<AuthorizationOutcome>().ToFrozenDictionary(o => o, o => o.ToString());
    private static readonly FrozenDictionary<AuthorizationPhase, string> PhaseNames = Enum.GetValues<AuthorizationPhase>().ToFrozenDictionary(p => p, p => p.ToString());
    private static readonly FrozenDictionary<PlateReadOutcome, string> ReadOutcomeNames = Enum.GetValues<PlateReadOutcome>().ToFrozenDictionary(o => o, o => o.ToString());

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _callErrors;
    private readonly Counter<long> _connects;
    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionDuration;
    private readonly Histogram<double> _commitDuration;
    private int _cameraQueue;
    private readonly Histogram<double> _cameraRead;

    public OcppAuthTelemetry(IMeterFactory meters, ChargePointConnectionRegistry connections)
    {
        var meter = meters.Create(Name);
        ActivitySource = new ActivitySource(Name);
        meter.CreateObservableGauge("ocppauth.chargepoints.connected", () => connections.Count, "{charge_point}",
            "Charge points with a live WebSocket on this node");
        _connects = meter.CreateCounter<long>("ocppauth.websocket.connects", "{connection}", "WebSockets accepted as a charge point's connection");
        _disconnects = meter.CreateCounter<long>("ocppauth.websocket.disconnects", "{connection}", "Charge point connections that ended");
        _calls = meter.CreateCounter<long>("ocppauth.ocpp.calls", "{call}",
            "Inbound CALLs answered, by action and outcome (CallResult or the CALLERROR code)");
        _callDuration = meter.CreateHistogram("ocppauth.ocpp.call.duration", "s", "Time from an inbound CALL's dispatch to its answer, by action",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSeconds });
        _callErrors = meter.CreateCounter<long>("ocppauth.ocpp.callerrors", "{callerror}",
            "CALLERRORs by code and direction: sent (answering a charger) or received (a charger answering us)");
        _decisions = meter.CreateCounter<long>("ocppauth.decisions", "{decision}", "Decisions of the gate by phase, result and reason");
        _decisionDuration = meter.CreateHistogram("ocppauth.decision.duration", "s", "Time the gate took to decide, by phase",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSeconds });
        _commitDuration = meter.CreateHistogram("ocppauth.storage.commit.duration", "s",
            "Time a commit held its transaction, BEGIN to the end of COMMIT (a SQLite group commit counts once)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortSeconds });
        // A gauge of a counter kept here, so that it is exported (as 0) before the first image.
        meter.CreateObservableGauge("ocppauth.camera.queue.depth", () => Volatile.Read(ref _cameraQueue), "{image}",
            "Camera images waiting for a plate-reader worker");
        _cameraRead = meter.CreateHistogram("ocppauth.camera.read.duration", "s", "Time to read the plate in one camera image, by outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ImageSeconds });
    }

    /// <summary>The server's traces: <c>ocpp.call</c> around an inbound CALL, <c>ocppauth.decision</c> around a decision of the gate.</summary>
    public ActivitySource ActivitySource { get; }

    public Activity? StartCall(string action, string chargePointId)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = ActivitySource.StartActivity("ocpp.call", ActivityKind.Server);
        activity?.SetTag("ocpp.action", action).SetTag("ocpp.charge_point.id", chargePointId);
        return activity;
    }

    public void CallAnswered(string action, string outcome, long startedTimestamp, Activity? activity)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        string label = outcome == IOcppTransportTelemetry.CallResult ? IOcppTransportTelemetry.CallResult : ErrorLabel(outcome);
        _calls.Add(1, new KeyValuePair<string, object?>("ocpp.action", action), new KeyValuePair<string, object?>("ocpp.outcome", label));
        _callDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("ocpp.action", action));
        if (!ReferenceEquals(label, IOcppTransportTelemetry.CallResult))
        {
            CallErrorSent(label);
        }

        if (activity is not null)
        {
            activity.SetTag("ocpp.outcome", label);
            if (label == OcppErrorCode.InternalError)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Dispose();
        }
    }

    public void CallErrorSent(string errorCode) =>
        _callErrors.Add(1, new KeyValuePair<string, object?>("ocpp.error_code", ErrorLabel(errorCode)), new KeyValuePair<string, object?>("ocpp.direction", "sent"));

    public void CallErrorReceived(string errorCode) =>
        _callErrors.Add(1, new KeyValuePair<string, object?>("ocpp.error_code", ErrorLabel(errorCode)), new KeyValuePair<string, object?>("ocpp.direction", "received"));

    public void Connected() => _connects.Add(1);

    public void Disconnected() => _disconnects.Add(1);

    public void Committed(string engine, TimeSpan held) =>
        _commitDuration.Record(held.TotalSeconds, new KeyValuePair<string, object?>("db.system.name", engine));

    public void QueueChanged(int delta) => Interlocked.Add(ref _cameraQueue, delta);

    /// <summary>Images waiting for the plate reader on this node.</summary>
    public int CameraQueueDepth => Volatile.Read(ref _cameraQueue);

    public void Read(PlateReadOutcome outcome, TimeSpan elapsed) =>
        _cameraRead.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("camera.read.outcome", ReadOutcomeNames.GetValueOrDefault(outcome, "Other")));

    /// <summary>Counts a decision of the gate and how long it took.</summary>
    public void Decided(AuthorizationPhase phase, AuthorizationResult result, TimeSpan elapsed)
    {
        string phaseName = PhaseNames.GetValueOrDefault(phase, "Other");
        _decisions.Add(1,
            new KeyValuePair<string, object?>("decision.phase", phaseName),
            new KeyValuePair<string, object?>("decision.result", OutcomeNames.GetValueOrDefault(result.Outcome, "Other")),
            new KeyValuePair<string, object?>("decision.reason", ReasonNames.GetValueOrDefault(result.Reason, "Other")));
        _decisionDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("decision.phase", phaseName));
    }

    /// <summary>The labels of a decision on its trace.</summary>
    public static void Tag(Activity activity, AuthorizationResult result) =>
        activity.SetTag("decision.result", OutcomeNames.GetValueOrDefault(result.Outcome, "Other"))
            .SetTag("decision.reason", ReasonNames.GetValueOrDefault(result.Reason, "Other"));

    /// <summary>The phase's name as a label.</summary>
    public static string PhaseName(AuthorizationPhase phase) => PhaseNames.GetValueOrDefault(phase, "Other");

    /// <summary>An error code as a label: the code itself when OCPP-J has it, else <see cref="OtherErrorCode"/>.</summary>
    private static string ErrorLabel(string code) => ErrorCodes.TryGetValue(code, out string? known) ? known : OtherErrorCode;

    public void Dispose() => ActivitySource.Dispose();
}
