using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using ChargePointSimulator.Cli;
using ChargePointSimulator.Demo;
using ChargePointSimulator.Ocpp;
using Microsoft.Extensions.Logging;

namespace ChargePointSimulator.Load;

/// <summary>
/// Runs one process's share of a load test: connects its chargers (open + Boot + Status + Heartbeat, with bounded
/// concurrency), then issues CALLs at the target rate with the configured mix for the duration, one outstanding CALL
/// per charger, and measures latency per action. A <see cref="MessageMix.Journey"/> pick runs a whole
/// <see cref="LoadJourney"/> on its charger instead of one CALL.
/// </summary>
public sealed class LoadRunner(LoadOptions options, TimeProvider time, ILoggerFactory loggers, TextWriter? progress)
{
    private readonly ILogger _logger = loggers.CreateLogger<LoadRunner>();
    private long _inFlight;
    private LoadJourney? _journey;
    private LoopbackConnector[] _connectors = [];
    private readonly CancellationTokenSource _stopFailover = new();
    private readonly List<Task> _failovers = [];
    private long _reconnects;
    private long _reconnectFailures;
    private System.Security.Cryptography.X509Certificates.X509Certificate2? _clientCa;

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var roots = options.CaFile is { } caFile ? TlsCredentials.LoadRoots(caFile) : null;
        using var clientCa = options.Profile == 3
            ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(options.ClientCaFile!, options.ClientCaKeyFile)
            : null;
        _clientCa = clientCa;
        int sources = options.SourceAddresses > 0 ? options.SourceAddresses : LoopbackConnector.AddressesNeeded(options.Count, SystemLimits.EphemeralPorts());
        var connectors = new List<LoopbackConnector>();
        using var disposeConnectors = new DisposeAll(connectors);
        foreach (var url in options.NodeUrls)
        {
            connectors.Add(new LoopbackConnector(await LoopbackConnector.ResolveLoopbackAsync(url, cancellationToken), sources, roots));
        }

        _connectors = [.. connectors];
        var connector = _connectors[0];
        if (options.Register)
        {
            await RegisterAsync(options, options.Progress ? progress : null, cancellationToken);
        }

        using var api = options.Mix.HasJourney ? ChargePointRegistrar.CreateClient(EndpointGuard.ApiBaseFor(options.Url), options.ApiKey!, roots) : null;
        int sliceCount = options.SliceCount ?? options.Count;
        var chargers = Enumerable.Range(options.SliceStart, sliceCount).Select(i => new LoadChargePoint(i, options.ChargePointId(i)) { UrlIndex = options.UrlIndexFor(i) }).ToArray();

        // Connect phase.
        var connectLatency = LoadStatistics.NewHistogram();
        var statistics = new LoadStatistics();
        _journey = api is null ? null : new LoadJourney(options, new JourneyIdentities(options.IdPrefix), new DemoBackOffice(api), statistics, time);
        int failures = 0;
        var connectedPerUrl = new int[options.NodeUrls.Count];
        long connectStart = time.GetTimestamp();
        using (var connectProgress = StartConnectProgress(chargers, cancellationToken))
        {
            await Parallel.ForEachAsync(chargers,
                new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = cancellationToken },
                async (charger, ct) =>
                {
                    long started = time.GetTimestamp();
                    string? failure = await ConnectAsync(charger, ct);
                    if (failure is null)
                    {
                        Interlocked.Increment(ref connectedPerUrl[charger.UrlIndex]);
                        connectLatency.RecordValue(Math.Max(1, (long)time.GetElapsedTime(started).TotalMicroseconds));
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                        statistics.RecordConnectFailure(failure);
                    }
                });
        }

        double connectSeconds = time.GetElapsedTime(connectStart).TotalSeconds;
        int connected = chargers.Length - failures;
        WriteProgressLine($"connected {connected}/{chargers.Length} in {connectSeconds:0.000} s ({failures} failed)");
        var pids = options.AllServerPids;
        double? rssAfterConnect = pids.Count == 1 ? SystemLimits.ProcessMemory(pids[0])?.Rss / 1048576.0 : null;

        // Steady phase.
        if (options.Warmup > TimeSpan.Zero)
        {
            WriteProgressLine(FormattableString.Invariant($"warming up for {options.Warmup.TotalSeconds:0} s (not measured)"));
            await RunSteadyPhaseAsync(chargers, statistics, options.Warmup, cancellationToken);
            statistics.EndWarmup();
        }

        var serverCpuBefore = pids.Select(SystemLimits.ProcessCpuTime).ToArray();
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        double steadySeconds = await RunSteadyPhaseAsync(chargers, statistics, options.Duration, cancellationToken);
        var serverCpuAfter = pids.Select(SystemLimits.ProcessCpuTime).ToArray();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        double? Cores(TimeSpan? cpu) => cpu is { } t && steadySeconds > 0 ? Math.Round(t.TotalSeconds / steadySeconds, 3) : null;
        int openAtEnd = chargers.Count(c => c.IsOpen);
        var openPerUrl = new int[options.NodeUrls.Count];
        foreach (var charger in chargers.Where(c => c.IsOpen))
        {
            openPerUrl[charger.UrlIndex]++;
        }

        var serverMemory = pids.Select(SystemLimits.ProcessMemory).ToArray();
        double clientRss = Environment.WorkingSet / 1048576.0;
        await StopFailoverAsync();
        await CloseAllAsync(chargers);
        var nodes = pids.Select((pid, i) => new NodeReport(pid,
            serverMemory[i] is { } m ? Math.Round(m.Rss / 1048576.0, 1) : null,
            serverMemory[i] is { } p ? Math.Round(p.Peak / 1048576.0, 1) : null,
            Cores(serverCpuAfter[i] - serverCpuBefore[i]))).ToList();
        double? SumOrNull(IEnumerable<double?> values) => values.Any(v => v is not null) ? values.Sum() : null;

        var actions = statistics.Actions.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => ActionReport.From(a.Key, a.Value.Calls, a.Value.Errors, a.Value.Latency)).ToList();
        long answered = actions.Where(a => a.Action != MessageMix.Journey).Sum(a => a.Calls - a.Errors);
        long journeys = actions.Where(a => a.Action == MessageMix.Journey).Sum(a => a.Calls - a.Errors);
        double? PerSecond(long n) => !options.Mix.HasJourney ? null : steadySeconds > 0 ? Math.Round(n / steadySeconds, 1) : 0;
        return new LoadReport
        {
            Url = string.Join(", ", options.NodeUrls),
            Count = chargers.Length,
            Connected = connected,
            ConnectFailures = failures,
            ConnectSeconds = Math.Round(connectSeconds, 3),
            Connect = ActionReport.From(LoadStatistics.ConnectAction, connected, failures, connectLatency),
            Mix = options.Mix.ToString(),
            TargetRate = options.Rate * chargers.Length / options.Count,
            DurationSeconds = Math.Round(steadySeconds, 3),
            Calls = statistics.Calls,
            Errors = statistics.Errors,
            SkippedBusy = statistics.SkippedBusy,
            WarmupSeconds = options.Warmup.TotalSeconds,
            WarmupCalls = statistics.Warmup.Calls,
            WarmupErrors = statistics.Warmup.Errors,
            Throughput = steadySeconds > 0 ? Math.Round(answered / steadySeconds, 1) : 0,
            Decisions = options.Mix.HasJourney ? statistics.Decisions : null,
            DecisionsPerSecond = PerSecond(statistics.Decisions),
            JourneysPerSecond = PerSecond(journeys),
            Actions = actions,
            FailureReasons = new Dictionary<string, int>(statistics.FailureReasons),
            OpenAtEnd = openAtEnd,
            Endpoints = options.FailsOver ? options.NodeUrls.Select((url, i) => new EndpointReport(url.ToString(), connectedPerUrl[i], openPerUrl[i])).ToList() : null,
            Reconnects = options.FailsOver ? Interlocked.Read(ref _reconnects) : null,
            ReconnectFailures = options.FailsOver ? Interlocked.Read(ref _reconnectFailures) : null,
            LostCalls = options.FailsOver ? statistics.Lost : null,
            Nodes = pids.Count > 1 ? nodes : null,
            SourceAddresses = connector.SourceAddressCount,
            ServerRssMb = SumOrNull(nodes.Select(n => n.RssMb)) is { } rss ? Math.Round(rss, 1) : rssAfterConnect,
            ServerPeakRssMb = SumOrNull(nodes.Select(n => n.PeakRssMb)) is { } peak ? Math.Round(peak, 1) : null,
            ClientRssMb = Math.Round(clientRss, 1),
            ServerCpuCores = SumOrNull(nodes.Select(n => n.CpuCores)) is { } cores ? Math.Round(cores, 3) : null,
            ClientCpuCores = Cores(clientCpu) ?? 0,
            HistogramLog = options.SliceCount is null ? null : LoadReport.EncodeHistograms(
                statistics.Actions.Select(a => (a.Key, (HdrHistogram.HistogramBase)a.Value.Latency))
                    .Append((LoadStatistics.ConnectAction, connectLatency))),
        };
    }

    /// <summary>
    /// Registers the charge points of the whole run and the idTag through the API (409 = already there); with journeys
    /// in the mix, the layered station and the journey identities instead (<see cref="JourneySetup"/>).
    /// </summary>
    public static async Task RegisterAsync(LoadOptions options, TextWriter? progress, CancellationToken cancellationToken)
    {
        if (options.Mix.HasJourney)
        {
            await JourneySetup.RunAsync(options, progress, cancellationToken);
            return;
        }

        using var api = ChargePointRegistrar.CreateClient(
            EndpointGuard.ApiBaseFor(options.Url), options.ApiKey!, options.CaFile is { } caFile ? TlsCredentials.LoadRoots(caFile) : null);
        var ids = Enumerable.Range(0, options.Count).Select(options.ChargePointId).ToList();
        await new ChargePointRegistrar(api) { SecurityProfile = options.SecurityProfile is null && options.Profile == 1 ? null : options.Profile }
            .RegisterAllAsync(ids, id => options.Profile == 3 ? null : ChargePointPasswords.For(options.ApiKey!, id), parallelism: 16, cancellationToken);
        using var tag = await api.PostAsJsonAsync("/api/idtags", new { idTag = options.IdTag }, cancellationToken);
        if (!tag.IsSuccessStatusCode && tag.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new HttpRequestException($"Creating idTag {options.IdTag} failed: {(int)tag.StatusCode}");
        }
    }

    private async Task<string?> ConnectAsync(LoadChargePoint charger, CancellationToken cancellationToken)
    {
        try
        {
            charger.Connection = await OcppClientConnection.ConnectAsync(
                OcppConnectionOptions.EndpointFor(options.NodeUrls[charger.UrlIndex], charger.Id), charger.Id,
                new OcppConnectionOptions
                {
                    ReceiveBufferBytes = 1024, HttpInvoker = _connectors[charger.UrlIndex].InvokerFor(charger.Index, ClientCertificateOf(charger)),
                    ConnectTimeout = options.CallTimeout,
                    Password = options.Profile < 3 && options.ApiKey is { } key ? ChargePointPasswords.For(key, charger.Id) : null,
                },
                handler: _journey is null ? null : new LoadServerCalls(charger), time, _logger, cancellationToken);
            var boot = await CallAsync(charger, "BootNotification", cancellationToken);
            if (boot.GetProperty("status").GetString() != "Accepted")
            {
                throw new InvalidOperationException($"BootNotification answered {boot.GetProperty("status").GetString()}");
            }

            await CallAsync(charger, "StatusNotification", cancellationToken);
            await CallAsync(charger, "Heartbeat", cancellationToken);
            if (options.FailsOver)
            {
                WatchForDrop(charger, charger.Connection);
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            charger.Connection?.Abort();
            charger.Connection = null;
            return Describe(ex);
        }
    }

    private Task<JsonElement> CallAsync(LoadChargePoint charger, string action, CancellationToken cancellationToken) =>
        charger.Connection!.CallAsync(action, charger.Payload(action, options.IdTag, time.GetUtcNow()), options.CallTimeout, cancellationToken);

    private async Task<double> RunSteadyPhaseAsync(LoadChargePoint[] chargers, LoadStatistics statistics, TimeSpan duration, CancellationToken cancellationToken)
    {
        double rate = options.Rate * chargers.Length / options.Count;
        var random = new Random(options.Seed + options.SliceStart);
        long started = time.GetTimestamp();
        long issued = 0;
        int cursor = 0;
        long lastCalls = 0;
        var lastReport = TimeSpan.Zero;
        using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(1), time);
        try
        {
            while (await ticker.WaitForNextTickAsync(cancellationToken))
            {
                var elapsed = time.GetElapsedTime(started);
                if (elapsed >= duration)
                {
                    break;
                }

                long due = (long)(elapsed.TotalSeconds * rate) - issued;
                for (long i = 0; i < due && chargers.Length > 0; i++)
                {
                    issued++;
                    LoadChargePoint? chosen = null;
                    for (int attempt = 0; attempt < Math.Min(16, chargers.Length); attempt++)
                    {
                        var candidate = chargers[cursor];
                        cursor = (cursor + 1) % chargers.Length;
                        if (candidate.IsOpen && candidate.TryClaim())
                        {
                            chosen = candidate;
                            break;
                        }
                    }

                    if (chosen is null)
                    {
                        statistics.RecordSkippedBusy();
                        continue;
                    }

                    Interlocked.Increment(ref _inFlight);
                    string action = chosen.Resolve(options.Mix.Pick(random));
                    _ = action == MessageMix.Journey
                        ? JourneyAsync(chosen, statistics, cancellationToken)
                        : SteadyCallAsync(chosen, action, statistics, cancellationToken);
                }

                if (elapsed - lastReport >= TimeSpan.FromSeconds(1))
                {
                    long calls = statistics.Calls;
                    WriteProgress(FormattableString.Invariant(
                        $"[{elapsed.TotalSeconds,5:0}s] open {chargers.Count(c => c.IsOpen)}/{chargers.Length}  calls {calls}  ({(calls - lastCalls) / (elapsed - lastReport).TotalSeconds:0}/s)  errors {statistics.Errors}  in flight {Interlocked.Read(ref _inFlight)}") +
                        (options.FailsOver ? $"  reconnects {Interlocked.Read(ref _reconnects)}" : string.Empty));
                    lastCalls = calls;
                    lastReport = elapsed;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped early (Ctrl+C): report what was measured.
        }

        double seconds = time.GetElapsedTime(started).TotalSeconds;
        var deadline = time.GetTimestamp();
        while (Interlocked.Read(ref _inFlight) > 0 && time.GetElapsedTime(deadline) < options.CallTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, CancellationToken.None);
        }

        WriteProgressLine(null);
        return seconds;
    }

    private async Task SteadyCallAsync(LoadChargePoint charger, string action, LoadStatistics statistics, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var connection = charger.Connection;
        try
        {
            var response = await CallAsync(charger, action, cancellationToken);
            statistics.RecordSuccess(action, (long)time.GetElapsedTime(started).TotalMicroseconds);
            charger.OnAnswer(action, response);
        }
        catch (OcppCallErrorException ex)
        {
            statistics.RecordError(action, ex.ErrorCode);
        }
        catch (Exception ex) when (ex is OcppCallTimeoutException or OcppNotConnectedException or OperationCanceledException or WebSocketException or KeyNotFoundException)
        {
            if (options.FailsOver && connection is not null && await GoesAwayAsync(connection))
            {
                // In flight when its node went away: the charger fails over; counted apart from the other errors.
                statistics.RecordLost(action, Describe(ex));
            }
            else
            {
                statistics.RecordError(action, Describe(ex));
            }
        }
        finally
        {
            charger.Release();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// Whether a call's connection is closed or closes within a moment of the call failing: a node that goes away may
    /// stop answering (the call times out, or its send fails) a little before the socket's close reaches the charger.
    /// </summary>
    private async Task<bool> GoesAwayAsync(OcppClientConnection connection)
    {
        if (!connection.IsOpen)
        {
            return true;
        }
        var grace = options.CallTimeout < TimeSpan.FromSeconds(2) ? options.CallTimeout : TimeSpan.FromSeconds(2);
        try
        {
            await connection.Closed.WaitAsync(grace, time, CancellationToken.None);
            return true;
        }
        catch (TimeoutException)
        {
            return !connection.IsOpen;
        }
    }

    private async Task HardenedAsync(LoadChargePoint charger, CancellationToken cancellationToken)
    {
        try
        {
            await charger.Hardened.Task.WaitAsync(options.CallTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{ChargePointId} was not hardened within {Timeout}: journeys start anyway", charger.Id, options.CallTimeout);
        }
    }

    private async Task JourneyAsync(LoadChargePoint charger, LoadStatistics statistics, CancellationToken cancellationToken)
    {
        try
        {
            if (charger.Journeys == 0)
            {
                // A layered station hardens the charger after its boot; a session begun before that is refused.
                await HardenedAsync(charger, cancellationToken);
            }

            await _journey!.RunAsync(charger, cancellationToken);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Journey on {ChargePointId} failed unexpectedly", charger.Id);
            statistics.RecordError(MessageMix.Journey, Describe(ex));
        }
        finally
        {
            charger.Release();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>When the connection drops before the run ends, the charger reconnects to the next URL (see <see cref="FailOverAsync"/>).</summary>
    private void WatchForDrop(LoadChargePoint charger, OcppClientConnection connection)
    {
        _ = connection.Closed.ContinueWith(_ =>
        {
            lock (_failovers)
            {
                if (!_stopFailover.IsCancellationRequested)
                {
                    _failovers.Add(Task.Run(() => FailOverAsync(charger, connection), CancellationToken.None));
                }
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>
    /// Reconnects a charger whose node went away to the next URL of the list (and on, round the list), with the
    /// simulator's back-off between attempts, until it is connected again or the run ends. It holds the charger's claim
    /// meanwhile so that the steady phase sends nothing during the handshake.
    /// </summary>
    private async Task FailOverAsync(LoadChargePoint charger, OcppClientConnection dropped)
    {
        var stop = _stopFailover.Token;
        var backoff = new Charger.ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), new Random(options.Seed + charger.Index));
        try
        {
            while (!charger.TryClaim())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), time, stop); // the call in flight at the drop ends first
            }

            try
            {
                if (ReferenceEquals(charger.Connection, dropped))
                {
                    charger.Connection = null;
                }

                await dropped.DisposeAsync();
                while (!stop.IsCancellationRequested)
                {
                    charger.UrlIndex = (charger.UrlIndex + 1) % options.NodeUrls.Count;
                    if (await ConnectAsync(charger, stop) is null)
                    {
                        Interlocked.Increment(ref _reconnects);
                        return;
                    }

                    Interlocked.Increment(ref _reconnectFailures);
                    await Task.Delay(backoff.Next(), time, stop);
                }
            }
            finally
            {
                charger.Release();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended while the charger was away.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Failing over {ChargePointId} failed", charger.Id);
        }
    }

    /// <summary>Ends the failover before the chargers are closed: closing them must not look like a node going away.</summary>
    private async Task StopFailoverAsync()
    {
        Task[] failovers;
        lock (_failovers)
        {
            _stopFailover.Cancel();
            failovers = [.. _failovers];
        }

        await Task.WhenAll(failovers);
    }

    /// <summary>Security profile 3: the charger's client certificate (CN = its id), issued from the client CA at its first connection.</summary>
    private System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificateOf(LoadChargePoint charger) =>
        _clientCa is null ? null : charger.ClientCertificate ??= TlsCredentials.Issue(charger.Id, _clientCa, options.CpoName);

    private sealed class DisposeAll(List<LoopbackConnector> connectors) : IDisposable
    {
        public void Dispose() => connectors.ForEach(c => c.Dispose());
    }

    private static async Task CloseAllAsync(LoadChargePoint[] chargers)
    {
        await Parallel.ForEachAsync(chargers.Where(c => c.Connection is not null), new ParallelOptions { MaxDegreeOfParallelism = 256 },
            async (charger, _) =>
            {
                await charger.Connection!.CloseAsync("load run finished");
                await charger.Connection.DisposeAsync();
            });
        foreach (var charger in chargers)
        {
            charger.Reader?.Dispose();
        }
    }

    private IDisposable StartConnectProgress(LoadChargePoint[] chargers, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = Task.Run(async () =>
        {
            long started = time.GetTimestamp();
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, stop.Token);
                    WriteProgress(FormattableString.Invariant(
                        $"[{time.GetElapsedTime(started).TotalSeconds,5:0.0}s] connecting: {chargers.Count(c => c.IsOpen)}/{chargers.Length} open"));
                }
            }
            catch (OperationCanceledException)
            {
                // Connect phase over.
            }
        }, CancellationToken.None);
        return new CancelOnDispose(stop);
    }

    private sealed class CancelOnDispose(CancellationTokenSource source) : IDisposable
    {
        public void Dispose()
        {
            source.Cancel();
            source.Dispose();
        }
    }

    private void WriteProgress(string line)
    {
        if (!options.Progress || progress is null)
        {
            return;
        }

        if (Console.IsErrorRedirected)
        {
            progress.WriteLine(line);
        }
        else
        {
            progress.Write("\r" + line.PadRight(100));
        }
    }

    private void WriteProgressLine(string? line)
    {
        if (!options.Progress || progress is null)
        {
            return;
        }

        if (!Console.IsErrorRedirected)
        {
            progress.Write("\r" + new string(' ', 100) + "\r");
        }

        if (line is not null)
        {
            progress.WriteLine(line);
        }
    }

    internal static string Describe(Exception ex)
    {
        switch (ex)
        {
            case OcppCallTimeoutException:
                return "timeout";
            case OcppNotConnectedException:
                return "connection lost";
        }

        var root = ex is AggregateException or WebSocketException && ex.InnerException is not null ? ex.GetBaseException() : ex;
        string message = root.Message.Length > 80 ? root.Message[..80] : root.Message;
        return string.Create(CultureInfo.InvariantCulture, $"{root.GetType().Name}: {message}");
    }
}
