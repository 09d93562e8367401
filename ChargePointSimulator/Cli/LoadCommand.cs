using System.CommandLine;
using ChargePointSimulator.Load;
using Microsoft.Extensions.Logging;

namespace ChargePointSimulator.Cli;

/// <summary><c>load</c>: N charge points against a loopback server for a bounded time; a table (and JSON) of connect time, throughput and latency.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var url = new Option<string[]>("--url")
        {
            Description = "OCPP endpoint without the identity (loopback only); repeat it for several server nodes: charger i connects to url[i mod n] " +
                "and fails over to the next url when its connection drops (API calls go to the first)",
            DefaultValueFactory = _ => ["ws://127.0.0.1:8180/ocpp"],
        };
        var count = new Option<int>("--count", "-n") { Description = $"Charge points (1 to {LoadOptions.MaxCount})", DefaultValueFactory = _ => 2000 };
        var duration = new Option<double>("--duration", "-d") { Description = "Seconds of the steady phase after all connected", DefaultValueFactory = _ => 30 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of load before the steady phase, not measured (JIT, cold caches)", DefaultValueFactory = _ => 0 };
        var rate = new Option<double>("--rate", "-r") { Description = "Aggregate picks of the mix per second in the steady phase: CALLs, or whole journeys for Journey (0: only hold the connections)", DefaultValueFactory = _ => 1000 };
        var mix = new Option<string>("--mix") { Description = $"Message mix ACTION=WEIGHT,...; actions: {string.Join(", ", MessageMix.SupportedActions)} (Journey: the full three-factor journey on one charger; needs --api-key)", DefaultValueFactory = _ => MessageMix.Default.ToString() };
        var prefix = new Option<string>("--id-prefix") { Description = "Charge point ids are {prefix}{00001..}", DefaultValueFactory = _ => "LOAD-" };
        var idTag = new Option<string>("--id-tag") { Description = "idTag of Authorize/StartTransaction/StopTransaction", DefaultValueFactory = _ => "LOAD-TAG" };
        var apiKey = ApiKeyOption.Create("Operator API key used to register the charge points (X-Api-Key); Journey also uses it for each pre-verification");
        var noRegister = new Option<bool>("--no-register") { Description = "The charge points are registered already (or the server accepts unknown ones)" };
        var concurrency = new Option<int>("--connect-concurrency") { Description = "Handshakes in flight during the connect phase", DefaultValueFactory = _ => 200 };
        var callTimeout = new Option<double>("--call-timeout") { Description = "Seconds to wait for an answer", DefaultValueFactory = _ => 10 };
        var sources = new Option<int>("--source-addresses") { Description = "127.0.0.x source addresses for client sockets (0: as many as the ephemeral port range needs)", DefaultValueFactory = _ => 0 };
        var workers = new Option<int>("--workers") { Description = "Processes to spread connections over (0: as the open-files limit needs)", DefaultValueFactory = _ => 0 };
        var serverPid = new Option<int[]>("--server-pid") { Description = "Report this process's RSS (VmRSS/VmHWM from /proc) and CPU; repeat it for several server nodes (each is reported)" };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file ('-' for standard output)" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No live progress line" };
        var securityProfile = new Option<int?>("--security-profile")
        {
            Description = "1 Basic, 2 Basic over wss://, 3 a client certificate over wss:// (default: 2 for wss://, 3 with --client-ca; 1 for ws://)",
        };
        var ca = new Option<string?>("--ca") { Description = "PEM file of the root(s) to trust for the server's TLS certificate (default: the system's)" };
        var clientCa = new Option<string?>("--client-ca") { Description = "Profile 3: PEM file of the charge point CA (the server's Security:ChargePointCa) that issues each charger a certificate (CN = its id)" };
        var clientCaKey = new Option<string?>("--client-ca-key") { Description = "Profile 3: PEM file of that CA's private key" };
        var cpoName = new Option<string?>("--cpo-name") { Description = "Profile 3: subject O of the chargers' certificates (the server's Security:ChargePointOrganization)" };
        var sliceStart = new Option<int>("--slice-start") { Hidden = true };
        var sliceCount = new Option<int?>("--slice-count") { Hidden = true };
        var workerReport = new Option<string?>("--worker-report") { Hidden = true };

        var command = new Command("load", "Connect N charge points to a loopback server and measure throughput and latency for a bounded time")
        {
            url, count, duration, warmup, rate, mix, prefix, idTag, apiKey, noRegister, concurrency, callTimeout, sources, workers, serverPid, json, noProgress,
            securityProfile, ca, clientCa, clientCaKey, cpoName, sliceStart, sliceCount, workerReport,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The load generator shares the cores with the server it measures: every thread hand-off it saves is CPU
            // the server gets (~10 % less client CPU per journey). Read once, when the process's first socket is made;
            // worker processes inherit it.
            if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
            {
                Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
            }

            LoadOptions options;
            try
            {
                var urls = (parse.GetValue(url) ?? []).Select(EndpointGuard.ParseWebSocketUrl).ToList();
                if (urls.Count == 0)
                {
                    throw new ArgumentException("--url needs a value");
                }

                var pids = parse.GetValue(serverPid) ?? [];
                options = new LoadOptions
                {
                    Url = urls[0],
                    Urls = urls.Count > 1 ? urls : [],
                    Count = parse.GetValue(count),
                    Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                    Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
                    Rate = parse.GetValue(rate),
                    Mix = MessageMix.Parse(parse.GetValue(mix)!),
                    IdPrefix = parse.GetValue(prefix)!,
                    IdTag = parse.GetValue(idTag)!,
                    ApiKey = parse.GetValue(apiKey),
                    Register = !parse.GetValue(noRegister),
                    ConnectConcurrency = parse.GetValue(concurrency),
                    CallTimeout = TimeSpan.FromSeconds(parse.GetValue(callTimeout)),
                    SourceAddresses = parse.GetValue(sources),
                    Workers = parse.GetValue(workers),
                    ServerPid = pids.Length == 1 ? pids[0] : null,
                    ServerPids = pids.Length > 1 ? pids : [],
                    Progress = !parse.GetValue(noProgress),
                    SliceStart = parse.GetValue(sliceStart),
                    SliceCount = parse.GetValue(sliceCount),
                    SecurityProfile = parse.GetValue(securityProfile),
                    CaFile = parse.GetValue(ca) is { } caPath ? Path.GetFullPath(caPath) : null,
                    ClientCaFile = parse.GetValue(clientCa) is { } clientCaPath ? Path.GetFullPath(clientCaPath) : null,
                    ClientCaKeyFile = parse.GetValue(clientCaKey) is { } clientCaKeyPath ? Path.GetFullPath(clientCaKeyPath) : null,
                    CpoName = parse.GetValue(cpoName),
                };
                options.Validate();
                foreach (var nodeUrl in options.NodeUrls)
                {
                    await LoopbackConnector.ResolveLoopbackAsync(nodeUrl, cancellationToken);
                }
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            LoadReport report;
            try
            {
                report = await RunAsync(options, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"Registering through the API failed: {ex.Message}");
                return 1;
            }

            if (parse.GetValue(workerReport) is { } reportPath)
            {
                await File.WriteAllTextAsync(reportPath, report.ToJson(), CancellationToken.None);
                return 0;
            }

            Console.Out.Write(report.ToTable());
            if (parse.GetValue(json) is { } jsonPath)
            {
                if (jsonPath == "-")
                {
                    Console.Out.WriteLine(report.ToJson());
                }
                else
                {
                    await File.WriteAllTextAsync(jsonPath, report.ToJson(), CancellationToken.None);
                }
            }

            return report.Connected == 0 ? 1 : 0;
        });
        return command;
    }

    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        int workers = options.SliceCount is null ? LoadWorkers.WorkersNeeded(options) : 1;
        if (workers > 1)
        {
            return await LoadWorkers.RunAsync(options, workers, Console.Error, cancellationToken);
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        return await new LoadRunner(options with { Register = options.Register && options.SliceCount is null }, TimeProvider.System, loggers, Console.Error)
            .RunAsync(cancellationToken);
    }
}
