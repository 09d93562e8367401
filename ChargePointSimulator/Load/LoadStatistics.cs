using System.Collections.Concurrent;
using HdrHistogram;

namespace ChargePointSimulator.Load;

/// <summary>Thread-safe counters and an HDR latency histogram (microseconds) per action.</summary>
public sealed class LoadStatistics
{
    public const string ConnectAction = "Connect";
    private const long HighestMicroseconds = 120_000_000;

    private readonly ConcurrentDictionary<string, ActionStatistics> _actions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failureReasons = new(StringComparer.Ordinal);
    private long _calls;
    private long _errors;
    private long _skippedBusy;
    private long _decisions;
    private long _lost;

    public long Calls => Interlocked.Read(ref _calls);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Calls not issued because every charger tried still had a CALL outstanding.</summary>
    public long SkippedBusy => Interlocked.Read(ref _skippedBusy);

    /// <summary>Authorize and StartTransaction of journeys that the server answered (Accepted or not): decisions of the gate.</summary>
    public long Decisions => Interlocked.Read(ref _decisions);

    /// <summary>Errors of calls whose connection dropped under them (a node went away): also counted in <see cref="Errors"/>.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public IReadOnlyDictionary<string, ActionStatistics> Actions => _actions;

    public IReadOnlyDictionary<string, int> FailureReasons => _failureReasons;

    public static LongConcurrentHistogram NewHistogram() => new(1, HighestMicroseconds, 3);

    public void RecordSuccess(string action, long microseconds)
    {
        Interlocked.Increment(ref _calls);
        var statistics = For(action);
        Interlocked.Increment(ref statistics.CallCount);
        statistics.Latency.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));
    }

    public void RecordError(string action, string reason)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _errors);
        var statistics = For(action);
        Interlocked.Increment(ref statistics.CallCount);
        Interlocked.Increment(ref statistics.ErrorCount);
        _failureReasons.AddOrUpdate($"{action}: {reason}", 1, (_, n) => n + 1);
    }

    /// <summary>An error (<see cref="RecordError"/>) of a call that was in flight when its connection dropped.</summary>
    public void RecordLost(string action, string reason)
    {
        RecordError(action, reason);
        Interlocked.Increment(ref _lost);
    }

    public void RecordConnectFailure(string reason) => _failureReasons.AddOrUpdate($"{ConnectAction}: {reason}", 1, (_, n) => n + 1);

    public void RecordSkippedBusy() => Interlocked.Increment(ref _skippedBusy);

    /// <summary>Calls and errors of the warm-up, which <see cref="EndWarmup"/> took out of the figures.</summary>
    public (long Calls, long Errors) Warmup { get; private set; }

    /// <summary>
    /// Ends the warm-up (first JIT compilations, cold caches on both sides): what was measured so far is dropped from
    /// the figures and only counted in <see cref="Warmup"/>. Connect failures stay.
    /// </summary>
    public void EndWarmup()
    {
        Warmup = (Warmup.Calls + Interlocked.Exchange(ref _calls, 0), Warmup.Errors + Interlocked.Exchange(ref _errors, 0));
        Interlocked.Exchange(ref _skippedBusy, 0);
        Interlocked.Exchange(ref _decisions, 0);
        Interlocked.Exchange(ref _lost, 0);
        _actions.Clear();
        foreach (string reason in _failureReasons.Keys.Where(k => !k.StartsWith(ConnectAction + ":", StringComparison.Ordinal)))
        {
            _failureReasons.TryRemove(reason, out _);
        }
    }

    public void RecordDecision() => Interlocked.Increment(ref _decisions);

    /// <summary>
    /// A whole journey under <see cref="MessageMix.Journey"/>: its duration when it completed, null when a step failed
    /// (that step recorded the error and its reason). Not a CALL: the call and error totals are left alone.
    /// </summary>
    public void RecordJourney(long? microseconds)
    {
        var statistics = For(MessageMix.Journey);
        Interlocked.Increment(ref statistics.CallCount);
        if (microseconds is { } value)
        {
            statistics.Latency.RecordValue(Math.Clamp(value, 1, HighestMicroseconds));
        }
        else
        {
            Interlocked.Increment(ref statistics.ErrorCount);
        }
    }

    private ActionStatistics For(string action) => _actions.GetOrAdd(action, _ => new ActionStatistics());

    public sealed class ActionStatistics
    {
        internal long CallCount;
        internal long ErrorCount;

        public long Calls => Interlocked.Read(ref CallCount);

        public long Errors => Interlocked.Read(ref ErrorCount);

        public LongConcurrentHistogram Latency { get; } = NewHistogram();
    }
}
