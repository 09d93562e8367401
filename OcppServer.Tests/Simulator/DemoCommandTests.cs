using ChargePointSimulator.Cli;
using ChargePointSimulator.Demo;
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
    public async Task Demo_journey_with_a_burst_camera_exits_zero_and_each_passage_is_one_record(CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        int exitCode = await RunAsync(cancellationToken, output, "--burst", "3");
        Assert.That(exitCode, Is.Zero, "every step of the journey had the expected outcome");
        Assert.That(output.ToString(), Does.Contain("camera burst of 3 frames: one record, verdict Passed"));
    }

    [Test]
    public async Task A_burst_outside_1_to_16_frames_is_a_usage_error()
    {
        var output = new StringWriter();
        int exitCode = await RunAsync(CancellationToken.None, output, "--burst", "17");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("--burst must be 1 (single frames) to 16"));
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task Demo_attack_all_exits_zero(CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        int exitCode = await RunAsync(cancellationToken, output, "--attack", "all");

        var sections = AttackSections(output.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, "every attack was refused for the expected reason");
            Assert.That(sections.Keys, Is.EquivalentTo(DemoAttacks.Names), "every attack ran, each once");
            Assert.That(DemoAttacks.Names, Has.Count.GreaterThanOrEqualTo(26), "the 11 attacks of the layered gate and those of the hardening");
            foreach (var (attack, lines) in sections)
            {
                Assert.That(lines.Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)), Is.Positive, $"{attack} checked something");
                Assert.That(lines.Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)), Is.Empty, $"{attack} went as expected");
            }

            Assert.That(output.ToString(), Does.Contain($"{sections.Values.Sum(l => l.Count(x => x.StartsWith("PASS ", StringComparison.Ordinal)))} passed, 0 failed"));
        }
    }

    /// <summary>The hardening's attacks, one by one, each refused for the reason it names (the decision reason where one is recorded).</summary>
    [TestCase("look-alike", "reason BiometricMatchesAnotherDriver")]
    [TestCase("two-connectors", "reason AmbiguousConnector")]
    [TestCase("restart-replay", "reason NoVinReported")]
    [TestCase("stale-capture", "verdict CaptureTimeOutOfRange")]
    [TestCase("replayed-image", "verdict Replayed")]
    [TestCase("jti-squatting", "decision Accepted, reason Accepted")]
    [TestCase("unknown-group", "reason IdTagInvalid")]
    [TestCase("blocked-group", "reason IdTagBlocked")]
    [TestCase("no-station", "reason NoLayeredPolicy")]
    [TestCase("takeover", "401 Unauthorized, WWW-Authenticate: Basic")]
    [TestCase("revoked-key", "1008 PolicyViolation")]
    [TestCase("brute-force", "the right key, after the identity's failures are spent -> 401")]
    [TestCase("probe-identities", "the same WWW-Authenticate for every probe")]
    [TestCase("duplicate-property", "CALLERROR FormationViolation")]
    [TestCase("unauthenticated-body", "HTTP/1.1 401")]
    [CancelAfter(60_000)]
    public async Task Each_hardening_attack_is_refused(string attack, string expected, CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        int exitCode = await RunAsync(cancellationToken, output, "--attack", attack);

        var lines = AttackSections(output.ToString())[attack];
        Assert.That(exitCode, Is.Zero, "refused for the expected reason");
        Assert.That(lines.Any(l => l.StartsWith("PASS ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal)), Is.True,
            $"a PASS line with '{expected}' in:\n{string.Join('\n', lines)}");
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

    private Task<int> RunAsync(CancellationToken cancellationToken, params string[] extra) => RunAsync(cancellationToken, new StringWriter(), extra);

    private async Task<int> RunAsync(CancellationToken cancellationToken, StringWriter output, params string[] extra)
    {
        string[] args = ["demo", "--url", _server.BaseUri.ToString(), "--api-key", TestServer.ApiKey, .. extra];
        var configuration = new System.CommandLine.InvocationConfiguration { Output = output };
        int exitCode = await SimulatorCommandLine.Create().Parse(args).InvokeAsync(configuration, cancellationToken);
        await TestContext.Out.WriteLineAsync(output.ToString());
        return exitCode;
    }

    /// <summary>The report's lines under each "== Attack NAME: …" heading, by attack name.</summary>
    private static Dictionary<string, List<string>> AttackSections(string output)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (string line in output.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("== Attack ", StringComparison.Ordinal))
            {
                string name = line["== Attack ".Length..line.IndexOf(':', StringComparison.Ordinal)];
                Assert.That(sections.TryAdd(name, current = []), Is.True, $"{name} ran once");
            }
            else if (line.Length == 0)
            {
                current = null;
            }
            else
            {
                current?.Add(line);
            }
        }

        return sections;
    }
}
