using System.Globalization;
using System.Text;
using HdrHistogram;

namespace ChargePointSimulator.Fuzz;

/// <summary>Latency of one kind of answer in milliseconds (from the last byte sent to the answer's arrival).</summary>
public sealed record FuzzLatency(long Count, double P50Ms, double P99Ms, double MaxMs)
{
    public static FuzzLatency From(HistogramBase microseconds)
    {
        static double Ms(long value) => Math.Round(value / 1000.0, 3);
        return microseconds.TotalCount == 0
            ? new FuzzLatency(0, 0, 0, 0)
            : new FuzzLatency(microseconds.TotalCount, Ms(microseconds.GetValueAtPercentile(50)), Ms(microseconds.GetValueAtPercentile(99)), Ms(microseconds.GetMaxValue()));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F2} ms ({Count})");
}

/// <summary>A frame the server did not answer as it must: the case, what was expected, what went wrong, what came back.</summary>
public sealed record FuzzFailure(FuzzCase Case, IReadOnlyList<string> Reasons, IReadOnlyList<string> Received)
{
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(Case.Describe());
        text.AppendLine(CultureInfo.InvariantCulture, $"    expected: {Case.Expected}");
        foreach (string reason in Reasons)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    failure:  {reason}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"    frame:    {FuzzText.Printable(Case.Bytes)}");
        foreach (string received in Received)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    received: {received}");
        }

        return text.ToString();
    }
}

/// <summary>What a fuzz run sent, what came back, how fast, and every frame that was not answered as it must be.</summary>
public sealed record FuzzReport
{
    public required string Url { get; init; }

    public required int Seed { get; init; }

    /// <summary>Fuzzed frames sent (not counting the Heartbeats after them and the BootNotifications).</summary>
    public required int Frames { get; init; }

    public required long BytesSent { get; init; }

    public required double ElapsedSeconds { get; init; }

    public double FramesPerSecond => ElapsedSeconds > 0 ? Frames / ElapsedSeconds : 0;

    /// <summary>Frames per category (the first mutation applied).</summary>
    public required IReadOnlyDictionary<string, int> Categories { get; init; }

    /// <summary>The answers to the fuzzed frames: CALLRESULT, each CALLERROR code, "no reply", "closed 1007"…</summary>
    public required IReadOnlyDictionary<string, int> Answers { get; init; }

    public required FuzzLatency ReplyLatency { get; init; }

    public required FuzzLatency HeartbeatLatency { get; init; }

    public required int Reconnects { get; init; }

    /// <summary>CALLs the server sent to the fuzzer's charge point (answered NotSupported).</summary>
    public required int ServerCalls { get; init; }

    /// <summary>Frames not answered as they must be.</summary>
    public required int Failures { get; init; }

    public required IReadOnlyDictionary<string, int> FailuresByCategory { get; init; }

    /// <summary>The first failures in full.</summary>
    public required IReadOnlyList<FuzzFailure> FirstFailures { get; init; }

    /// <summary>Why the run stopped before sending every frame (the server could no longer be reached), if it did.</summary>
    public string? Aborted { get; init; }

    public bool Passed => Failures == 0 && Aborted is null;

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Fuzz run against {Url}, seed {Seed}: {Frames} frames ({BytesSent / 1024.0 / 1024.0:F1} MiB) in {ElapsedSeconds:F1} s, {FramesPerSecond:F0} frames/s");
        text.AppendLine(CultureInfo.InvariantCulture, $"Replies:    {ReplyLatency}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Heartbeats: {HeartbeatLatency}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Reconnects: {Reconnects}; CALLs from the server answered NotSupported: {ServerCalls}");
        text.AppendLine();
        text.AppendLine("answer                              frames");
        foreach (var (answer, count) in Answers.OrderByDescending(a => a.Value).ThenBy(a => a.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{answer,-32} {count,10}");
        }

        text.AppendLine();
        text.AppendLine("category                            frames   failures");
        foreach (var (category, count) in Categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{category,-32} {count,10} {FailuresByCategory.GetValueOrDefault(category),10}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Failures: {Failures}");
        foreach (var failure in FirstFailures)
        {
            text.Append(failure.ToText());
        }

        if (Aborted is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Aborted: {Aborted}");
        }

        return text.ToString();
    }
}
