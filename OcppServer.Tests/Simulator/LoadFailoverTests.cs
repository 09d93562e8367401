using System.Text;
using System.Text.Json;
using ChargePointSimulator.Load;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>
/// <c>load</c> with several <c>--url</c> values, as against several server nodes behind one address. Two nodes of one
/// cluster need PostgreSQL and Redis; two single-node servers on which every charger is registered stand in for them
/// here: a charger may connect to either, as it may to any node of a cluster.
/// </summary>
public sealed class LoadFailoverTests
{
    private static LoadOptions Options(TestServer first, TestServer second, int count, double seconds) => new()
    {
        Url = SimulatedChargePoint.OcppBase(first),
        Urls = [SimulatedChargePoint.OcppBase(first), SimulatedChargePoint.OcppBase(second)],
        Count = count,
        Duration = TimeSpan.FromSeconds(seconds),
        Rate = 50,
        Mix = MessageMix.Parse("Heartbeat=2,StatusNotification=1,MeterValues=1"),
        ApiKey = TestServer.ApiKey,
        Register = false,
        CallTimeout = TimeSpan.FromSeconds(5),
        IdPrefix = "FO-",
        Progress = false,
    };

    /// <summary>Registers the run's chargers on both servers through their APIs (the load tool registers on the first only).</summary>
    private static async Task RegisterOnBothAsync(LoadOptions options, TestServer first, TestServer second, CancellationToken cancellationToken)
    {
        await LoadRunner.RegisterAsync(options with { Url = SimulatedChargePoint.OcppBase(first), Urls = [] }, null, cancellationToken);
        await LoadRunner.RegisterAsync(options with { Url = SimulatedChargePoint.OcppBase(second), Urls = [] }, null, cancellationToken);
    }

    private static async Task<bool> HeardFromAsync(TestServer server, string id) =>
        (await server.ChargePointAsync(id)).GetProperty("lastHeartbeatAt").ValueKind == JsonValueKind.String;

    [Test]
    [CancelAfter(60_000)]
    public async Task Chargers_are_spread_evenly_over_the_urls(CancellationToken cancellationToken)
    {
        await using var first = await TestServer.StartAsync();
        await using var second = await TestServer.StartAsync();
        var options = Options(first, second, count: 10, seconds: 1);
        await RegisterOnBothAsync(options, first, second, cancellationToken);

        var report = await new LoadRunner(options, TimeProvider.System, NullLoggerFactory.Instance, null).RunAsync(cancellationToken);

        TestContext.Progress.WriteLine(report.ToTable());
        Assert.Multiple(() =>
        {
            Assert.That(report.Connected, Is.EqualTo(10));
            Assert.That(report.Errors, Is.Zero, string.Join("; ", report.FailureReasons.Select(r => $"{r.Key} x{r.Value}")));
            Assert.That(report.Endpoints!.Select(e => (e.Url, e.Connected, e.OpenAtEnd)), Is.EqualTo(new[]
            {
                (options.Urls[0].ToString(), 5, 5), (options.Urls[1].ToString(), 5, 5),
            }));
            Assert.That(report.Reconnects, Is.Zero);
            Assert.That(report.LostCalls, Is.Zero);
            Assert.That(report.ToTable(), Does.Contain("5 connected, 5 open at end").And.Contain("Failover: 0 reconnects"));
        });
        // Charger i went to url[i mod 2]: FO-00001 (index 0) to the first server, FO-00002 to the second.
        Assert.That(await HeardFromAsync(first, "FO-00001"), Is.True);
        Assert.That(await HeardFromAsync(second, "FO-00001"), Is.False);
        Assert.That(await HeardFromAsync(second, "FO-00002"), Is.True);
        Assert.That(await HeardFromAsync(first, "FO-00002"), Is.False);
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task When_a_node_goes_away_its_chargers_reconnect_to_the_next_url_and_the_run_carries_on(CancellationToken cancellationToken)
    {
        await using var first = await TestServer.StartAsync();
        var second = await TestServer.StartAsync();
        try
        {
            var options = Options(first, second, count: 10, seconds: 5) with { Progress = true };
            await RegisterOnBothAsync(options, first, second, cancellationToken);
            var progress = new SignallingWriter("connected ");

            var run = new LoadRunner(options, TimeProvider.System, NullLoggerFactory.Instance, progress).RunAsync(cancellationToken);
            await progress.Seen.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // into the steady phase
            await second.DisposeAsync(); // the node goes away with its chargers' connections
            var report = await run;

            TestContext.Progress.WriteLine(report.ToTable());
            Assert.Multiple(() =>
            {
                Assert.That(report.Connected, Is.EqualTo(10));
                Assert.That(report.Reconnects, Is.EqualTo(5), "every charger of the second node reconnected to the first");
                Assert.That(report.OpenAtEnd, Is.EqualTo(10), "and carried on to the end");
                Assert.That(report.Endpoints!.Select(e => (e.Connected, e.OpenAtEnd)), Is.EqualTo(new[] { (5, 10), (5, 0) }));
                // A charger has at most one call outstanding: at most the five of the node that went away failed, and
                // none after its charger reconnected.
                Assert.That(report.LostCalls, Is.InRange(0, 5));
                Assert.That(report.Errors, Is.EqualTo(report.LostCalls), string.Join("; ", report.FailureReasons.Select(r => $"{r.Key} x{r.Value}")));
                Assert.That(report.Calls - report.Errors, Is.Positive);
                Assert.That(report.ToTable(), Does.Contain("Failover: 5 reconnects"));
            });
            // The second node's chargers booted and sent their heartbeat on the first after the failover.
            Assert.That(await HeardFromAsync(first, "FO-00002"), Is.True);
            Assert.That(await HeardFromAsync(first, "FO-00010"), Is.True);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_load_command_takes_url_and_server_pid_several_times_and_reports_each(CancellationToken cancellationToken)
    {
        await using var first = await TestServer.StartAsync();
        await using var second = await TestServer.StartAsync();
        var options = Options(first, second, count: 4, seconds: 1);
        await RegisterOnBothAsync(options, first, second, cancellationToken);
        string json = Path.Combine(Path.GetTempPath(), $"load-{Guid.NewGuid():N}.json");
        string pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            int exit = await ChargePointSimulator.Cli.SimulatorCommandLine.Create().Parse(
            [
                "load", "--url", options.Urls[0].ToString(), "--url", options.Urls[1].ToString(), "--count", "4", "--duration", "1", "--rate", "20",
                "--mix", "Heartbeat=1", "--id-prefix", "FO-", "--no-register", "--api-key", TestServer.ApiKey, "--workers", "1", "--no-progress",
                "--server-pid", pid, "--server-pid", pid, "--json", json,
            ]).InvokeAsync(cancellationToken: cancellationToken);

            Assert.That(exit, Is.Zero);
            var report = LoadReport.FromJson(await File.ReadAllTextAsync(json, cancellationToken));
            Assert.Multiple(() =>
            {
                Assert.That(report.Url, Is.EqualTo($"{options.Urls[0]}, {options.Urls[1]}"));
                Assert.That(report.Endpoints!.Select(e => e.Connected), Is.EqualTo(new[] { 2, 2 }));
                Assert.That(report.Nodes!.Select(n => n.Pid), Is.EqualTo(new[] { Environment.ProcessId, Environment.ProcessId }));
                Assert.That(report.Nodes, Has.All.Matches<NodeReport>(n => n!.RssMb > 10 && n.CpuCores > 0));
                Assert.That(report.ServerCpuCores, Is.EqualTo(report.Nodes!.Sum(n => n.CpuCores)).Within(0.01), "the nodes' sum");
                Assert.That(report.ToTable(), Does.Contain($"server node {pid}: RSS"));
            });
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Test]
    public void Worker_reports_merge_per_url_and_per_node()
    {
        var options = new LoadOptions
        {
            Url = new Uri("ws://127.0.0.1:1/ocpp"), Urls = [new Uri("ws://127.0.0.1:1/ocpp"), new Uri("ws://127.0.0.1:2/ocpp")], Register = false,
        };
        LoadReport Worker(int connected, long reconnects, double cpu) => new()
        {
            Url = "x", Count = 2 * connected, Connected = 2 * connected, ConnectFailures = 0, ConnectSeconds = 1,
            Connect = new ActionReport("Connect", 2 * connected, 0, 1, 1, 1, 1, 1), Mix = "Heartbeat=1", TargetRate = 1, DurationSeconds = 1,
            Calls = 0, Errors = 0, SkippedBusy = 0, Throughput = 0, Actions = [], FailureReasons = new Dictionary<string, int>(), OpenAtEnd = 2 * connected,
            Endpoints = [new EndpointReport(options.Urls[0].ToString(), connected, connected), new EndpointReport(options.Urls[1].ToString(), connected, connected)],
            Reconnects = reconnects, ReconnectFailures = 0, LostCalls = 1,
            Nodes = [new NodeReport(10, 100, 120, cpu), new NodeReport(11, 200, 220, null)],
        };

        var merged = LoadWorkers.Merge(options, [Worker(3, 1, 0.5), Worker(2, 2, 1.5)], 1);

        Assert.That(merged.Endpoints!.Select(e => (e.Connected, e.OpenAtEnd)), Is.EqualTo(new[] { (5, 5), (5, 5) }));
        Assert.That((merged.Reconnects, merged.LostCalls), Is.EqualTo((3L, 2L)));
        Assert.That(merged.Nodes, Is.EqualTo(new[] { new NodeReport(10, 100, 120, 1.0), new NodeReport(11, 200, 220, null) }));
    }

    [Test]
    public void The_first_url_must_be_the_runs_url()
    {
        var options = new LoadOptions
        {
            Url = new Uri("ws://127.0.0.1:1/ocpp"), Urls = [new Uri("ws://127.0.0.1:2/ocpp"), new Uri("ws://127.0.0.1:1/ocpp")], Register = false,
        };
        Assert.Throws<ArgumentException>(options.Validate);
        Assert.That((options with { Urls = [] }).NodeUrls, Has.Count.EqualTo(1));
        Assert.That((options with { Urls = [] }).FailsOver, Is.False);
        Assert.That(Enumerable.Range(0, 6).Select(options.UrlIndexFor), Is.EqualTo(new[] { 0, 1, 0, 1, 0, 1 }));
    }

    /// <summary>Progress output that completes <see cref="Seen"/> once a line with the text is written.</summary>
    private sealed class SignallingWriter(string text) : StringWriter(new StringBuilder())
    {
        public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(string? value)
        {
            base.Write(value);
            Check(value);
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Check(value);
        }

        private void Check(string? value)
        {
            if (value?.Contains(text, StringComparison.Ordinal) == true)
            {
                Seen.TrySetResult();
            }
        }
    }
}
