using ChargePointSimulator.Cli;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>The <c>demo</c> command against a freshly started server: the journey passes and every attack is refused.</summary>
public sealed class DemoCommandTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() =>
        // A short grace before the server stops a refused transaction the charger keeps running (offline-start attack).
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Authorization:RemoteStopGraceSeconds"] = "1" });

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    [CancelAfter(30_000)]
    public async Task Demo_journey_exits_zero(CancellationToken cancellationToken)
    {
        int exitCode = await RunAsync(cancellationToken);
        Assert.That(exitCode, Is.Zero, "every step of the journey had the expected outcome");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Demo_attack_all_exits_zero(CancellationToken cancellationToken)
    {
        int exitCode = await RunAsync(cancellationToken, "--attack", "all");
        Assert.That(exitCode, Is.Zero, "every attack was refused for the expected reason");
    }

    /// <summary>The command line entry point, in process, with the server's URL and API key.</summary>
    [Test]
    public async Task Without_a_key_the_demo_says_how_to_pass_one()
    {
        Assume.That(ChargePointSimulator.Cli.ApiKeyOption.FromEnvironment(), Is.Null, "OCPPAUTH_API_KEY is set in this environment");
        var output = new StringWriter();
        var configuration = new System.CommandLine.InvocationConfiguration { Output = output };

        int exitCode = await SimulatorCommandLine.Create().Parse(["demo", "--url", _server.BaseUri.ToString()]).InvokeAsync(configuration);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("--api-key").And.Contain("OCPPAUTH_API_KEY"));
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken, params string[] extra)
    {
        string[] args = ["demo", "--url", _server.BaseUri.ToString(), "--api-key", TestServer.ApiKey, .. extra];
        var output = new StringWriter();
        var configuration = new System.CommandLine.InvocationConfiguration { Output = output };
        int exitCode = await SimulatorCommandLine.Create().Parse(args).InvokeAsync(configuration, cancellationToken);
        await TestContext.Out.WriteLineAsync(output.ToString());
        return exitCode;
    }
}
