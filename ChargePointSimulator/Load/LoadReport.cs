using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace ChargePointSimulator.Load;

/// <summary>Latency of one action in milliseconds.</summary>
public sealed record ActionReport(string Action, long Calls, long Errors, double P50Ms, double P95Ms, double P99Ms, double MaxMs, double MeanMs)
{
    public static ActionReport From(string action, long calls, long errors, HistogramBase latency)
    {
        double Ms(double microseconds) => Math.Round(microseconds / 1000.0, 3);
        bool any = latency.TotalCount > 0;
        return new ActionReport(action, calls, errors,
            any ? Ms(latency.GetValueAtPercentile(50)) : 0, any ? Ms(latency.GetValueAtPercentile(95)) : 0,
            any ? Ms(latency.GetValueAtPercentile(99)) : 0, any ? Ms(latency.GetMaxValue()) : 0, any ? Ms(latency.GetMean()) : 0);
    }
}

/// <summary>One node's endpoint of a run against several: chargers connected to it after the connect phase, and open to it at the end.</summary>
public sealed record EndpointReport(string Url, int Connected, int OpenAtEnd);

/// <summary>One server process of a run against several nodes (null figures: it was gone when measured).</summary>
public sealed record NodeReport(int Pid, double? RssMb, double? PeakRssMb, double? CpuCores);

/// <summary>The outcome of a load run: connection phase, steady phase, latency per action, memory.</summary>
public sealed record LoadReport
{
    public required string Url { get; init; }

    public required int Count { get; init; }

    /// <summary>Chargers whose connect sequence (open + Boot + Status + Heartbeat) succeeded.</summary>
    public required int Connected { get; init; }

    public required int ConnectFailures { get; init; }

    /// <summary>Wall time until every charger was connected, booted, had sent a StatusNotification and a Heartbeat.</summary>
    public required double ConnectSeconds { get; init; }

    public required ActionReport Connect { get; init; }

    public required string Mix { get; init; }

    public required double TargetRate { get; init; }

    public required double DurationSeconds { get; init; }

    public required long Calls { get; init; }

    public required long Errors { get; init; }

    public required long SkippedBusy { get; init; }

    /// <summary>The warm-up before the steady phase, left out of every other figure.</summary>
    public double WarmupSeconds { get; init; }

    public long WarmupCalls { get; init; }

    public long WarmupErrors { get; init; }

    /// <summary>Answered steady-phase calls per second.</summary>
    public required double Throughput { get; init; }

    public required IReadOnlyList<ActionReport> Actions { get; init; }

    /// <summary>With journeys in the mix: Authorize and StartTransaction answered by the server (decisions of the gate); else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Decisions { get; init; }

    /// <summary>With journeys in the mix: <see cref="Decisions"/> per second of the steady phase.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DecisionsPerSecond { get; init; }

    /// <summary>With journeys in the mix: completed journeys per second of the steady phase.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? JourneysPerSecond { get; init; }

    public required IReadOnlyDictionary<string, int> FailureReasons { get; init; }

    /// <summary>Connections still open at the end of the steady phase.</summary>
    public required int OpenAtEnd { get; init; }

    /// <summary>With several node URLs: connected and open chargers per URL; else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<EndpointReport>? Endpoints { get; init; }

    /// <summary>With several node URLs: chargers that reconnected (to the next URL) after their connection dropped; else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Reconnects { get; init; }

    /// <summary>With several node URLs: reconnection attempts that failed (each is retried at the next URL after a back-off).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ReconnectFailures { get; init; }

    /// <summary>With several node URLs: steady-phase calls in flight when their connection dropped (part of <see cref="Errors"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LostCalls { get; init; }

    /// <summary>With several server PIDs: each node's memory and CPU (the Server* figures are their sums); else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<NodeReport>? Nodes { get; init; }

    public int Workers { get; init; } = 1;

    public int SourceAddresses { get; init; } = 1;

    public double? ServerRssMb { get; init; }

    public double? ServerPeakRssMb { get; init; }

    public double ClientRssMb { get; init; }

    /// <summary>CPU the server used during the steady phase, in cores (1 = one core busy all the time); needs its PID.</summary>
    public double? ServerCpuCores { get; init; }

    /// <summary>CPU the load generator used during the steady phase, in cores (its share of the cores it shares).</summary>
    public double ClientCpuCores { get; init; }

    /// <summary>Server CPU per completed journey (with journeys in the mix) or per answered call, in milliseconds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ServerCpuMsPerUnit => ServerCpuCores is not { } cores ? null
        : JourneysPerSecond is { } journeys ? (journeys > 0 ? Math.Round(cores * 1000 / journeys, 3) : null)
        : Throughput > 0 ? Math.Round(cores * 1000 / Throughput, 3) : null;

    /// <summary>The HDR histograms (log format, tagged by action) of a worker process, for merging; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HistogramLog { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static LoadReport FromJson(string json) =>
        JsonSerializer.Deserialize<LoadReport>(json, JsonOptions) ?? throw new JsonException("Empty load report");

    /// <summary>Tagged histograms as lines "tag value:count value:count ..." (the recorded buckets), for merging.</summary>
    public static string EncodeHistograms(IEnumerable<(string Tag, HistogramBase Histogram)> histograms)
    {
        var text = new StringBuilder();
        foreach (var (tag, histogram) in histograms)
        {
            text.Append(tag);
            foreach (var bucket in histogram.RecordedValues())
            {
                text.Append(CultureInfo.InvariantCulture, $" {bucket.ValueIteratedTo}:{bucket.CountAtValueIteratedTo}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public static IReadOnlyList<HistogramBase> DecodeHistograms(string encoded)
    {
        var result = new List<HistogramBase>();
        foreach (string line in encoded.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var histogram = LoadStatistics.NewHistogram();
            histogram.Tag = fields[0];
            foreach (string pair in fields.Skip(1))
            {
                int colon = pair.IndexOf(':', StringComparison.Ordinal);
                histogram.RecordValueWithCount(
                    long.Parse(pair[..colon], CultureInfo.InvariantCulture), long.Parse(pair[(colon + 1)..], CultureInfo.InvariantCulture));
            }

            result.Add(histogram);
        }

        return result;
    }

    /// <summary>The human-readable summary printed at the end of a run.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);
        text.AppendLine(CultureInfo.InvariantCulture, $"Load run against {Url}: {Count} charge points, {Workers} process(es), {SourceAddresses} source address(es)");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Connect (open + Boot + Status + Heartbeat): {Connected}/{Count} in {F(ConnectSeconds, "0.000")} s, {ConnectFailures} failed; " +
            $"per charger p50 {F(Connect.P50Ms)} ms, p99 {F(Connect.P99Ms)} ms, max {F(Connect.MaxMs)} ms");
        if (WarmupSeconds > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Warm-up: {F(WarmupSeconds, "0.0")} s, {WarmupCalls} calls, {WarmupErrors} errors (left out of the figures below)");
        }

        string target = Decisions is null ? "calls/s" : "picks/s (a Journey pick is one whole journey)";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Steady phase: {F(DurationSeconds, "0.0")} s, mix {Mix}, target {F(TargetRate, "0")} {target}, " +
            $"throughput {F(Throughput, "0.0")} calls/s, {Calls} calls, {Errors} errors, {SkippedBusy} skipped (charger busy), {OpenAtEnd} open at end");
        if (Endpoints is { } endpoints)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Failover: {Reconnects ?? 0} reconnects, {ReconnectFailures ?? 0} failed reconnect attempts, {LostCalls ?? 0} calls lost in flight when a connection dropped");
            foreach (var endpoint in endpoints)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {endpoint.Url}: {endpoint.Connected} connected, {endpoint.OpenAtEnd} open at end");
            }
        }

        if (Decisions is { } decisions)
        {
            var journey = Actions.FirstOrDefault(a => a.Action == MessageMix.Journey);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Journeys: {(journey?.Calls ?? 0) - (journey?.Errors ?? 0)} completed ({F(JourneysPerSecond ?? 0, "0.0")}/s), {journey?.Errors ?? 0} failed; " +
                $"decisions (Authorize + StartTransaction answered): {decisions}, {F(DecisionsPerSecond ?? 0, "0.0")} decisions/s");
        }
        text.AppendLine();
        int width = Actions.Select(a => a.Action.Length).Append(20).Max(); // journey steps have longer names
        text.AppendLine($"{"action".PadRight(width)} {"calls",10} {"errors",8} {"p50 ms",9} {"p95 ms",9} {"p99 ms",9} {"max ms",9} {"mean ms",9}");
        foreach (var a in Actions)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{a.Action.PadRight(width)} {a.Calls,10} {a.Errors,8} {F(a.P50Ms),9} {F(a.P95Ms),9} {F(a.P99Ms),9} {F(a.MaxMs),9} {F(a.MeanMs),9}");
        }

        if (FailureReasons.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Failures:");
            foreach (var (reason, count) in FailureReasons.OrderByDescending(r => r.Value).Take(15))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {count,7} × {reason}");
            }
        }

        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Client RSS {F(ClientRssMb, "0.0")} MB");
        if (ServerRssMb is { } rss)
        {
            text.Append(CultureInfo.InvariantCulture, $"; server RSS {F(rss, "0.0")} MB (peak {F(ServerPeakRssMb ?? rss, "0.0")} MB)");
        }

        text.AppendLine();
        foreach (var node in Nodes ?? [])
        {
            text.AppendLine(node.RssMb is { } nodeRss
                ? $"  server node {node.Pid}: RSS {F(nodeRss, "0.0")} MB (peak {F(node.PeakRssMb ?? nodeRss, "0.0")} MB)"
                : $"  server node {node.Pid}: RSS not available (gone)");
        }

        text.Append(CultureInfo.InvariantCulture, $"CPU during the steady phase: load generator {F(ClientCpuCores)} cores");
        if (ServerCpuCores is { } cores)
        {
            string unit = JourneysPerSecond is null ? "call" : "journey";
            text.Append(CultureInfo.InvariantCulture, $"; server {F(cores)} cores ({F(ServerCpuMsPerUnit ?? 0, "0.000")} ms per {unit})");
        }

        foreach (var node in Nodes ?? [])
        {
            text.AppendLine();
            text.Append(node.CpuCores is { } nodeCores
                ? $"  server node {node.Pid}: {F(nodeCores)} cores"
                : $"  server node {node.Pid}: CPU not available (gone)");
        }

        return text.AppendLine().ToString();
    }
}
