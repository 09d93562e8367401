using System.CommandLine;
using ChargePointSimulator.Camera;
using ChargePointSimulator.Demo;

namespace ChargePointSimulator.Cli;

/// <summary>
/// <c>demo</c>: the seed journey end to end against a running server (or, with <c>--attack</c>, one attack or all of
/// them, each of which must be refused). Exit code 0 only when every step had the expected outcome.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Server base URL (API and OCPP), http:// or https://", DefaultValueFactory = _ => "http://127.0.0.1:8180" };
        var apiKey = ApiKeyOption.Create("Back-office API key (X-Api-Key)");
        var attack = new Option<string?>("--attack") { Description = $"Run an attack instead of the journey: all, {string.Join(", ", DemoAttacks.Names)}" };
        var profile = new Option<int>("--security-profile")
        {
            Description = "Security profile of the journey's charger: 1 (Basic), 2 (Basic over TLS), 3 (client certificate; needs --charge-point-ca)",
            DefaultValueFactory = _ => 1,
        };
        var ca = new Option<FileInfo?>("--ca") { Description = "PEM file of the root(s) to trust for the server's TLS certificate (default: the system's)" };
        var chargePointCa = new Option<FileInfo?>("--charge-point-ca")
        {
            Description = "PEM file of the charge point CA (the server's Security:ChargePointCa): the demo issues its charger's client certificate with it",
        };
        var chargePointCaKey = new Option<FileInfo?>("--charge-point-ca-key") { Description = "PEM file of that CA's private key (default: in --charge-point-ca)" };
        var burst = new Option<int>("--burst")
        {
            Description = "The entrance camera sends each passage as one burst of this many frames (2 to 16; the server votes per character). Default: single frames",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("demo", "Run the layered-authorization journey (or attacks) end to end against a running server")
        {
            url, apiKey, attack, profile, ca, chargePointCa, chargePointCaKey, burst,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            {
                await output.WriteLineAsync($"--url must be an absolute http:// or https:// URL, not '{parse.GetValue(url)}'");
                return 2;
            }

            if (parse.GetValue(apiKey) is not { } key)
            {
                await output.WriteLineAsync($"The demo registers its station through the API: pass --api-key or set {ApiKeyOption.EnvironmentVariable}");
                return 2;
            }

            DemoSecurity security;
            try
            {
                int asked = parse.GetValue(profile);
                var roots = parse.GetValue(ca) is { } caFile ? Ocpp.TlsCredentials.LoadRoots(caFile.FullName) : null;
                var issuer = parse.GetValue(chargePointCa) is { } caCertificate
                    ? Ocpp.TlsCredentials.LoadCertificate(caCertificate.FullName, parse.GetValue(chargePointCaKey)?.FullName)
                    : null;
                TlsOptions.Check(asked, server, hasPassword: true, hasCertificate: issuer is not null);
                security = new DemoSecurity(asked, roots, issuer);
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
            {
                await output.WriteLineAsync(ex.Message.Replace("--client-cert, --client-key", "--charge-point-ca, --charge-point-ca-key", StringComparison.Ordinal));
                return 2;
            }

            int frames = parse.GetValue(burst);
            if (frames is < 1 or > 16)
            {
                await output.WriteLineAsync($"--burst must be 1 (single frames) to 16, not {frames}");
                return 2;
            }

            return await RunAsync(server, key, parse.GetValue(attack), output, cancellationToken, security, frames);
        });
        return command;
    }

    /// <summary>Runs the demo; returns the exit code (0 = every step as expected, 1 = some step differed, 2 = usage or connection error).</summary>
    public static async Task<int> RunAsync(
        Uri serverUrl, string apiKey, string? attack, TextWriter output, CancellationToken cancellationToken, DemoSecurity? security = null,
        int burstFrames = 1)
    {
        security ??= DemoSecurity.Basic;
        if (attack is not null && !DemoAttacks.Exists(attack))
        {
            await output.WriteLineAsync($"Unknown attack '{attack}'. Known: all, {string.Join(", ", DemoAttacks.Names)}");
            return 2;
        }

        var report = new DemoReport(output);
        using var http = ChargePointRegistrar.CreateClient(serverUrl, apiKey, security.ServerRoots);
        using var fonts = PlateFonts.Load();
        var ocppBase = new UriBuilder(serverUrl) { Scheme = serverUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/ocpp" }.Uri;
        var context = new DemoContext(new DemoBackOffice(http), ocppBase, report, new PlateSceneGenerator(fonts), TimeProvider.System)
        {
            Security = security,
            BurstFrames = burstFrames,
        };
        try
        {
            if (attack is null)
            {
                await DemoJourney.RunAsync(context, cancellationToken);
            }
            else
            {
                await DemoAttacks.RunAsync(context, attack, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or DemoStepException)
        {
            report.Step("demo", false, ex.Message);
            if (ex is DemoStepException { StatusCode: System.Net.HttpStatusCode.Unauthorized })
            {
                report.Info("the operator key was refused: a wrong key, or this address spent its credential failures " +
                    "(Security:CredentialFailures:PerAddressBurst, one more every PerAddressRefillSeconds; the handshake attacks spend 12 a run)");
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"{report.Passes} passed, {report.Failures} failed");
            return 2;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"{report.Passes} passed, {report.Failures} failed");
        return report.Failures == 0 ? 0 : 1;
    }
}
