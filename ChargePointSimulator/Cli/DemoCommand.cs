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
        var command = new Command("demo", "Run the layered-authorization journey (or attacks) end to end against a running server") { url, apiKey, attack };
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

            return await RunAsync(server, key, parse.GetValue(attack), output, cancellationToken);
        });
        return command;
    }

    /// <summary>Runs the demo; returns the exit code (0 = every step as expected, 1 = some step differed, 2 = usage or connection error).</summary>
    public static async Task<int> RunAsync(Uri serverUrl, string apiKey, string? attack, TextWriter output, CancellationToken cancellationToken)
    {
        if (attack is not null && !DemoAttacks.Exists(attack))
        {
            await output.WriteLineAsync($"Unknown attack '{attack}'. Known: all, {string.Join(", ", DemoAttacks.Names)}");
            return 2;
        }

        var report = new DemoReport(output);
        using var http = ChargePointRegistrar.CreateClient(serverUrl, apiKey);
        using var fonts = PlateFonts.Load();
        var ocppBase = new UriBuilder(serverUrl) { Scheme = serverUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = "/ocpp" }.Uri;
        var context = new DemoContext(new DemoBackOffice(http), ocppBase, report, new PlateSceneGenerator(fonts), TimeProvider.System);
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
