using System.CommandLine;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Timing;
using Microsoft.Extensions.Logging;

namespace ChargePointSimulator.Cli;

/// <summary><c>run</c>: one or more long-running charge points from options or a JSON file, printing what they do.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Central system OCPP endpoint without the identity", DefaultValueFactory = _ => "ws://127.0.0.1:8180/ocpp" };
        var ids = new Option<string[]>("--id") { Description = "Charge point identity (repeatable)", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int>("--count") { Description = "Simulate N charge points named {prefix}{n} instead of --id", DefaultValueFactory = _ => 0 };
        var prefix = new Option<string>("--id-prefix") { Description = "Identity prefix with --count", DefaultValueFactory = _ => "SIM-" };
        var password = new Option<string?>("--password") { Description = "Basic-auth password (security profile 1)" };
        var connectors = new Option<int>("--connectors") { Description = "Connectors per charge point", DefaultValueFactory = _ => 2 };
        var file = new Option<FileInfo?>("--file") { Description = "JSON file describing the charge points (see README)" };
        var speed = new Option<double>("--speed") { Description = "Time runs this many times faster (intervals shrink accordingly)", DefaultValueFactory = _ => 1 };
        var settings = new Option<string[]>("--set") { Description = "Configuration key override KEY=VALUE (repeatable)", AllowMultipleArgumentsPerToken = true };
        var session = new Option<string?>("--start-session") { Description = "Once on line, plug in on connector 1 and present this idTag" };
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long (default: until Ctrl+C)" };
        var register = new Option<bool>("--register") { Description = "Register the charge points through the API first (needs --api-key)" };
        var apiKey = ApiKeyOption.Create("Operator API key (X-Api-Key) for --register");
        var quiet = new Option<bool>("--quiet") { Description = "Do not print every CALL and its answer" };
        var interactive = new Option<bool>("--interactive") { Description = "Read commands from standard input (plug, unplug, tap, stop, drop, cut, restore, event, status, quit)" };
        var tls = new TlsOptions();

        var command = new Command("run", "Run simulated charge points until stopped (Ctrl+C)")
        {
            url, ids, count, prefix, password, connectors, file, speed, settings, session, duration, register, apiKey, quiet, interactive,
        };
        foreach (var option in tls.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var definitions = new List<RunFileChargePoint>();
            string urlText = parse.GetValue(url)!;
            double timeScale = parse.GetValue(speed);
            if (parse.GetValue(file) is { } fileInfo)
            {
                var runFile = RunFile.Load(fileInfo.FullName);
                urlText = runFile.Url ?? urlText;
                timeScale = runFile.Speed ?? timeScale;
                definitions.AddRange(runFile.ChargePoints);
            }

            var overrides = ParseSettings(parse.GetValue(settings) ?? []);
            foreach (string id in parse.GetValue(ids) ?? [])
            {
                definitions.Add(new RunFileChargePoint { Id = id, Connectors = parse.GetValue(connectors), Configuration = overrides });
            }

            for (int i = 1; i <= parse.GetValue(count); i++)
            {
                definitions.Add(new RunFileChargePoint { Id = $"{parse.GetValue(prefix)}{i:D4}", Connectors = parse.GetValue(connectors), Configuration = overrides });
            }

            if (definitions.Count == 0)
            {
                Console.Error.WriteLine("Nothing to run: give --id, --count or --file.");
                return 2;
            }

            RunOptions options;
            try
            {
                var endpoint = EndpointGuard.ParseWebSocketUrl(urlText);
                var certificate = tls.Certificate(parse);
                TlsOptions.Check(parse.GetValue(tls.SecurityProfile), endpoint, parse.GetValue(password) is not null || parse.GetValue(apiKey) is not null,
                    certificate is not null);
                options = new RunOptions(
                    endpoint, definitions, parse.GetValue(password), timeScale, parse.GetValue(session),
                    parse.GetValue(duration), parse.GetValue(register), parse.GetValue(apiKey), parse.GetValue(quiet), parse.GetValue(interactive))
                {
                    SecurityProfile = parse.GetValue(tls.SecurityProfile),
                    TrustedServerRoots = tls.Roots(parse),
                    ClientCertificate = certificate,
                    CpoName = parse.GetValue(tls.CpoName),
                    // A certificate the central system signs for the charger replaces the files, when they are one charger's.
                    ClientCertificatePath = definitions.Count == 1 ? parse.GetValue(tls.ClientCertificate)?.FullName : null,
                    ClientKeyPath = definitions.Count == 1 ? parse.GetValue(tls.ClientKey)?.FullName : null,
                };
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            try
            {
                return await RunAsync(options, Console.Out, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"The API refused or could not be reached: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(RunOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        TimeProvider time = options.Speed == 1 ? TimeProvider.System : new ScaledTimeProvider(options.Speed);
        if (options.Register)
        {
            if (options.ApiKey is null)
            {
                await output.WriteLineAsync("--register needs --api-key");
                return 2;
            }

            using var api = ChargePointRegistrar.CreateClient(EndpointGuard.ApiBaseFor(options.Url), options.ApiKey, options.TrustedServerRoots);
            int created = await new ChargePointRegistrar(api) { SecurityProfile = options.SecurityProfile }.RegisterAllAsync(
                options.ChargePoints.Select(c => c.Id).ToList(),
                id => options.SecurityProfile == 3 ? null : PasswordOf(options.ChargePoints.First(c => c.Id == id), options), 8, cancellationToken);
            await output.WriteLineAsync($"registered {created} new charge point(s)");
        }

        var printLock = new Lock();
        var chargePoints = options.ChargePoints.Select(definition =>
        {
            var chargePoint = new ChargePoint(ToOptions(definition, options), time, loggers.CreateLogger<ChargePoint>());
            chargePoint.EventRaised += e =>
            {
                if (options.Quiet && e.Kind is ChargePointEventKind.CallSent or ChargePointEventKind.ServerCall)
                {
                    return;
                }

                lock (printLock)
                {
                    output.WriteLine(e.ToString());
                }
            };
            return (Definition: definition, ChargePoint: chargePoint);
        }).ToList();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var running = chargePoints.Select(c => c.ChargePoint.RunAsync(stop.Token)).ToList();
        var drivers = chargePoints.Select(c => DriveAsync(c.ChargePoint, c.Definition, options.StartSessionIdTag, stop.Token)).ToList();
        if (options.Interactive)
        {
            drivers.Add(InteractiveConsole.RunAsync(chargePoints.Select(c => c.ChargePoint).ToList(), Console.In, output, printLock, stop));
        }

        await Task.WhenAll(running.Concat(drivers)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return 0;
    }

    /// <summary>The charge point's own password, the run's, or (with an operator key) the one derived for it.</summary>
    private static string? PasswordOf(RunFileChargePoint definition, RunOptions options) =>
        definition.Password ?? options.Password ?? (options.ApiKey is { } key ? ChargePointPasswords.For(key, definition.Id) : null);

    private static ChargePointOptions ToOptions(RunFileChargePoint definition, RunOptions options)
    {
        var result = new ChargePointOptions
        {
            Id = definition.Id,
            CentralSystem = options.Url,
            Password = options.SecurityProfile == 3 ? null : PasswordOf(definition, options),
            SecurityProfile = options.SecurityProfile,
            ClientCertificate = options.ClientCertificate,
            ClientCertificatePath = options.ClientCertificatePath,
            ClientKeyPath = options.ClientKeyPath,
            CpoName = options.CpoName,
            TrustedServerRoots = options.TrustedServerRoots,
            Connectors = definition.Connectors,
            Configuration = new Dictionary<string, string>(definition.Configuration ?? [], StringComparer.OrdinalIgnoreCase),
            AutoUnplugAfterStop = TimeSpan.FromSeconds(30),
        };
        result.Vendor = definition.Vendor ?? result.Vendor;
        result.Model = definition.Model ?? result.Model;
        result.FirmwareVersion = definition.FirmwareVersion ?? result.FirmwareVersion;
        return result;
    }

    /// <summary>The simulated drivers: vehicles plugged in from the file, and the optional session on connector 1.</summary>
    private static async Task DriveAsync(ChargePoint chargePoint, RunFileChargePoint definition, string? sessionIdTag, CancellationToken cancellationToken)
    {
        try
        {
            while (!chargePoint.IsOnline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), chargePoint.Time, cancellationToken);
            }

            foreach (var vehicle in definition.Vehicles ?? [])
            {
                await chargePoint.PlugInAsync(vehicle.ConnectorId,
                    new SimulatedVehicle(vehicle.BatteryKWh, vehicle.SocPercent, vehicle.MaxPowerKW * 1000, vehicle.Vin, vehicle.EvccId), cancellationToken);
            }

            if ((definition.StartSessionIdTag ?? sessionIdTag) is { } idTag)
            {
                if (chargePoint.Connectors()[0].VehiclePluggedIn is false)
                {
                    await chargePoint.PlugInAsync(1, null, cancellationToken);
                }

                await chargePoint.PresentIdTagAsync(1, idTag, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    internal static Dictionary<string, string> ParseSettings(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--set expects KEY=VALUE, got {pair}");
            }

            result[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return result;
    }
}

public sealed record RunOptions(
    Uri Url,
    IReadOnlyList<RunFileChargePoint> ChargePoints,
    string? Password,
    double Speed,
    string? StartSessionIdTag,
    TimeSpan? Duration,
    bool Register,
    string? ApiKey,
    bool Quiet,
    bool Interactive)
{
    /// <summary>The security profile to connect with (null: from the URL and credentials).</summary>
    public int? SecurityProfile { get; init; }

    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? TrustedServerRoots { get; init; }

    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The files of <see cref="ClientCertificate"/> (one charger only): a renewed certificate is written there.</summary>
    public string? ClientCertificatePath { get; init; }

    public string? ClientKeyPath { get; init; }

    /// <summary>Subject O of the charger's certificate signing requests.</summary>
    public string? CpoName { get; init; }
}
