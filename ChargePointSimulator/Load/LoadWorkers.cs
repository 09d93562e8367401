using System.Diagnostics;
using System.Globalization;
using HdrHistogram;

namespace ChargePointSimulator.Load;

/// <summary>
/// Spreads a load run over several processes of this program when one process cannot hold all the sockets (its
/// open-files limit), then merges their reports and HDR histograms.
/// </summary>
public static class LoadWorkers
{
    /// <summary>Sockets one process may open: its open-files limit less a reserve for the runtime.</summary>
    public static int ConnectionsPerProcess() => Math.Max(100, SystemLimits.OpenFilesLimit() - 1000);

    public static int WorkersNeeded(LoadOptions options) =>
        options.Workers > 0 ? options.Workers : (int)Math.Ceiling(options.Count / (double)ConnectionsPerProcess());

    public static async Task<LoadReport> RunAsync(LoadOptions options, int workers, TextWriter progress, CancellationToken cancellationToken)
    {
        options.Validate();
        foreach (var url in options.NodeUrls)
        {
            await LoopbackConnector.ResolveLoopbackAsync(url, cancellationToken);
        }

        if (options.Register)
        {
            progress.WriteLine($"registering {options.Count} charge points through the API");
            await LoadRunner.RegisterAsync(options, progress, cancellationToken);
        }

        int sources = options.SourceAddresses > 0 ? options.SourceAddresses : LoopbackConnector.AddressesNeeded(options.Count, SystemLimits.EphemeralPorts());
        var directory = Directory.CreateTempSubdirectory("ocppauth-load-");
        try
        {
            var processes = new List<(Process Process, string Report)>();
            int start = 0;
            for (int w = 0; w < workers; w++)
            {
                int slice = options.Count / workers + (w < options.Count % workers ? 1 : 0);
                string report = Path.Combine(directory.FullName, $"worker-{w}.json");
                processes.Add((Start(options, start, slice, sources, report), report));
                start += slice;
            }

            progress.WriteLine($"{workers} worker processes started ({string.Join(", ", processes.Select(p => p.Process.Id))}); waiting for them");
            using var registration = cancellationToken.Register(() =>
            {
                foreach (var (process, _) in processes)
                {
                    TryKill(process);
                }
            });
            foreach (var (process, _) in processes)
            {
                await process.WaitForExitAsync(CancellationToken.None);
            }

            var reports = processes.Select(p => File.Exists(p.Report)
                ? LoadReport.FromJson(File.ReadAllText(p.Report))
                : throw new InvalidOperationException($"Worker {p.Process.Id} exited with {p.Process.ExitCode} without a report")).ToList();
            return Merge(options, reports, sources);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Process Start(LoadOptions options, int sliceStart, int sliceCount, int sources, string reportPath)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        string entry = Environment.GetCommandLineArgs()[0];
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(entry);
        }

        string I(double value) => value.ToString(CultureInfo.InvariantCulture);
        foreach (string argument in new[]
        {
            "load", "--count", I(options.Count), "--duration", I(options.Duration.TotalSeconds), "--warmup", I(options.Warmup.TotalSeconds),
            "--rate", I(options.Rate), "--mix", options.Mix.ToString(), "--id-prefix", options.IdPrefix, "--id-tag", options.IdTag,
            "--no-register", "--connect-concurrency", I(Math.Max(1, options.ConnectConcurrency / 2)), "--source-addresses", I(sources),
            "--workers", "1", "--no-progress", "--slice-start", I(sliceStart), "--slice-count", I(sliceCount), "--worker-report", reportPath,
            "--call-timeout", I(options.CallTimeout.TotalSeconds),
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var url in options.NodeUrls)
        {
            start.ArgumentList.Add("--url");
            start.ArgumentList.Add(url.ToString());
        }

        if (options.ApiKey is not null)
        {
            // Workers derive each charger's password from the key, and rebuild the journey identities from the prefix
            // (each journey's pre-verification needs it too).
            start.Environment[Cli.ApiKeyOption.EnvironmentVariable] = options.ApiKey; // not on the command line
        }

        foreach (var (name, value) in new[]
        {
            ("--security-profile", options.SecurityProfile?.ToString(CultureInfo.InvariantCulture)), ("--ca", options.CaFile),
            ("--client-ca", options.ClientCaFile), ("--client-ca-key", options.ClientCaKeyFile), ("--cpo-name", options.CpoName),
        })
        {
            if (value is not null)
            {
                start.ArgumentList.Add(name);
                start.ArgumentList.Add(value);
            }
        }

        foreach (int pid in options.AllServerPids)
        {
            start.ArgumentList.Add("--server-pid");
            start.ArgumentList.Add(I(pid));
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker process");
    }

    internal static LoadReport Merge(LoadOptions options, IReadOnlyList<LoadReport> reports, int sources)
    {
        var histograms = reports.SelectMany(r => LoadReport.DecodeHistograms(r.HistogramLog ?? string.Empty))
            .GroupBy(h => h.Tag ?? "?")
            .ToDictionary(g => g.Key, g =>
            {
                var total = LoadStatistics.NewHistogram();
                foreach (var h in g)
                {
                    total.Add(h);
                }

                return (HistogramBase)total;
            });
        var empty = LoadStatistics.NewHistogram();
        var actions = reports.SelectMany(r => r.Actions).GroupBy(a => a.Action).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ActionReport.From(g.Key, g.Sum(a => a.Calls), g.Sum(a => a.Errors), histograms.GetValueOrDefault(g.Key, empty)))
            .ToList();
        double duration = reports.Max(r => r.DurationSeconds);
        var reasons = reports.SelectMany(r => r.FailureReasons).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        int connected = reports.Sum(r => r.Connected);
        int failures = reports.Sum(r => r.ConnectFailures);
        return new LoadReport
        {
            Url = string.Join(", ", options.NodeUrls),
            Count = reports.Sum(r => r.Count),
            Connected = connected,
            ConnectFailures = failures,
            ConnectSeconds = reports.Max(r => r.ConnectSeconds),
            Connect = ActionReport.From(LoadStatistics.ConnectAction, connected, failures, histograms.GetValueOrDefault(LoadStatistics.ConnectAction, empty)),
            Mix = options.Mix.ToString(),
            TargetRate = options.Rate,
            DurationSeconds = duration,
            Calls = reports.Sum(r => r.Calls),
            Errors = reports.Sum(r => r.Errors),
            SkippedBusy = reports.Sum(r => r.SkippedBusy),
            WarmupSeconds = options.Warmup.TotalSeconds,
            WarmupCalls = reports.Sum(r => r.WarmupCalls),
            WarmupErrors = reports.Sum(r => r.WarmupErrors),
            Throughput = Math.Round(reports.Sum(r => r.Throughput), 1),
            Decisions = SumOrNull(reports.Select(r => r.Decisions)),
            DecisionsPerSecond = SumOrNull(reports.Select(r => r.DecisionsPerSecond)),
            JourneysPerSecond = SumOrNull(reports.Select(r => r.JourneysPerSecond)),
            Actions = actions,
            FailureReasons = reasons,
            OpenAtEnd = reports.Sum(r => r.OpenAtEnd),
            Endpoints = options.FailsOver
                ? options.NodeUrls.Select(url => url.ToString()).Select(url => new EndpointReport(url,
                    reports.Sum(r => r.Endpoints?.FirstOrDefault(e => e.Url == url)?.Connected ?? 0),
                    reports.Sum(r => r.Endpoints?.FirstOrDefault(e => e.Url == url)?.OpenAtEnd ?? 0))).ToList()
                : null,
            Reconnects = SumOrNull(reports.Select(r => r.Reconnects)),
            ReconnectFailures = SumOrNull(reports.Select(r => r.ReconnectFailures)),
            LostCalls = SumOrNull(reports.Select(r => r.LostCalls)),
            // Every worker measured the same nodes: the largest memory, the average CPU over the (nearly) same steady phase.
            Nodes = reports.Any(r => r.Nodes is not null)
                ? reports.SelectMany(r => r.Nodes ?? []).GroupBy(n => n.Pid).Select(g => new NodeReport(g.Key,
                    g.Max(n => n.RssMb), g.Max(n => n.PeakRssMb),
                    g.Any(n => n.CpuCores is not null) ? Math.Round(g.Where(n => n.CpuCores is not null).Average(n => n.CpuCores!.Value), 3) : null)).ToList()
                : null,
            Workers = reports.Count,
            SourceAddresses = sources,
            ServerRssMb = reports.Max(r => r.ServerRssMb),
            ServerPeakRssMb = reports.Max(r => r.ServerPeakRssMb),
            ClientRssMb = reports.Sum(r => r.ClientRssMb),
            // Every worker measured the same server over (nearly) the same steady phase; each generator its own share.
            ServerCpuCores = reports.Any(r => r.ServerCpuCores is not null)
                ? Math.Round(reports.Where(r => r.ServerCpuCores is not null).Average(r => r.ServerCpuCores!.Value), 3)
                : null,
            ClientCpuCores = Math.Round(reports.Sum(r => r.ClientCpuCores), 3),
        };
    }

    private static long? SumOrNull(IEnumerable<long?> values) => values.Any(v => v is not null) ? values.Sum() : null;

    private static double? SumOrNull(IEnumerable<double?> values) =>
        values.Any(v => v is not null) ? Math.Round(values.Sum() ?? 0, 1) : null;

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
