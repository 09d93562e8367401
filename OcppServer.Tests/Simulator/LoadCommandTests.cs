using ChargePointSimulator.Load;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

public sealed class LoadCommandTests
{
    [Test]
    public async Task A_small_load_run_registers_connects_every_charger_and_reports_sane_figures()
    {
        await using var server = await TestServer.StartAsync();
        var options = new LoadOptions
        {
            Url = SimulatedChargePoint.OcppBase(server),
            Count = 20,
            Duration = TimeSpan.FromSeconds(2),
            Rate = 100,
            Mix = MessageMix.Parse("Heartbeat=2,StatusNotification=1,MeterValues=1,Authorize=1,StartTransaction=1"),
            ApiKey = TestServer.ApiKey,
            ServerPid = Environment.ProcessId,
            Progress = false,
        };

        var report = await new LoadRunner(options, TimeProvider.System, NullLoggerFactory.Instance, null).RunAsync(CancellationToken.None);

        TestContext.Progress.WriteLine(report.ToTable());
        // How many calls a run gets through, and how fast, depends on the machine: the figures are printed above, and
        // only what holds on any machine is asserted (benchmark figures belong to the load command, not to a test).
        Assert.Multiple(() =>
        {
            Assert.That(report.Connected, Is.EqualTo(20));
            Assert.That(report.ConnectFailures, Is.Zero);
            Assert.That(report.ConnectSeconds, Is.GreaterThan(0));
            Assert.That(report.Connect.P50Ms, Is.GreaterThan(0));
            Assert.That(report.Errors, Is.Zero, string.Join("; ", report.FailureReasons.Select(r => $"{r.Key} x{r.Value}")));
            Assert.That(report.DurationSeconds, Is.GreaterThanOrEqualTo(2), "the steady phase ran for its duration");
            Assert.That(report.Calls, Is.Positive);
            Assert.That(report.Calls + report.SkippedBusy, Is.LessThanOrEqualTo(options.Rate * report.DurationSeconds + 1),
                "never more calls than the target rate of 100/s allows");
            Assert.That(report.Throughput, Is.EqualTo((report.Calls - report.Errors) / report.DurationSeconds).Within(0.1), "answered calls per second");
            Assert.That(report.Actions.Select(a => a.Action), Is.SupersetOf(new[] { "Heartbeat", "StatusNotification", "MeterValues" }));
            Assert.That(report.Actions, Has.All.Matches<ActionReport>(a => a!.P50Ms > 0 && a.P50Ms <= a.P95Ms && a.P95Ms <= a.P99Ms && a.P99Ms <= a.MaxMs));
            Assert.That(report.OpenAtEnd, Is.EqualTo(20));
            Assert.That(report.ServerRssMb, Is.GreaterThan(10));
            // The server here is this test process: it did the work of both sides, so its CPU covers the generator's.
            Assert.That(report.ServerCpuCores, Is.GreaterThan(0).And.LessThan(Environment.ProcessorCount + 0.5));
            Assert.That(report.ClientCpuCores, Is.GreaterThan(0).And.LessThanOrEqualTo(report.ServerCpuCores!.Value + 0.05));
            Assert.That(report.ServerCpuMsPerUnit, Is.EqualTo(report.ServerCpuCores * 1000 / report.Throughput).Within(0.01));
            Assert.That(report.ToTable(), Does.Contain("ms per call"));
        });
        var registered = await server.ChargePointAsync("LOAD-00020");
        Assert.That(registered.GetProperty("lastHeartbeatAt").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.String));
        Assert.That(report.ToTable(), Does.Contain("p99 ms"));
        Assert.That(LoadReport.FromJson(report.ToJson()).Calls, Is.EqualTo(report.Calls));
    }

    [Test]
    public async Task A_warm_up_runs_the_load_first_and_is_left_out_of_the_figures()
    {
        await using var server = await TestServer.StartAsync();
        var options = new LoadOptions
        {
            Url = SimulatedChargePoint.OcppBase(server),
            Count = 10,
            Warmup = TimeSpan.FromSeconds(1),
            Duration = TimeSpan.FromSeconds(1),
            Rate = 100,
            Mix = MessageMix.Parse("Heartbeat=1"),
            ApiKey = TestServer.ApiKey,
            Progress = false,
        };

        var report = await new LoadRunner(options, TimeProvider.System, NullLoggerFactory.Instance, null).RunAsync(CancellationToken.None);

        // At 100 calls/s, the warm-up and the steady second each issue at most about 100 calls: more than that in the
        // figures would be the warm-up's counted in. (How many each gets through depends on the machine.)
        Assert.Multiple(() =>
        {
            Assert.That(report.WarmupCalls, Is.Positive, "the warm-up ran");
            Assert.That(report.WarmupCalls, Is.LessThanOrEqualTo(options.Rate * options.Warmup.TotalSeconds + 1));
            Assert.That(report.Calls, Is.Positive);
            Assert.That(report.DurationSeconds, Is.GreaterThanOrEqualTo(1));
            Assert.That(report.Calls + report.SkippedBusy, Is.LessThanOrEqualTo(options.Rate * report.DurationSeconds + 1), "the steady second alone");
            Assert.That(report.Actions.Single().Calls, Is.EqualTo(report.Calls));
            Assert.That(report.ToTable(), Does.Contain("Warm-up: 1.0 s"));
        });
    }

    [Test]
    public void Ending_the_warm_up_takes_what_it_measured_out_of_the_figures()
    {
        var statistics = new LoadStatistics();
        statistics.RecordSuccess("Heartbeat", 1500);
        statistics.RecordError("Heartbeat", "timeout");
        statistics.RecordSkippedBusy();
        statistics.RecordConnectFailure("refused");

        statistics.EndWarmup();
        statistics.RecordSuccess("Heartbeat", 900);

        Assert.That(statistics.Warmup, Is.EqualTo((2L, 1L)), "the warm-up's calls and errors");
        Assert.That((statistics.Calls, statistics.Errors, statistics.SkippedBusy), Is.EqualTo((1L, 0L, 0L)));
        Assert.That(statistics.Actions["Heartbeat"].Calls, Is.EqualTo(1));
        Assert.That(statistics.Actions["Heartbeat"].Latency.TotalCount, Is.EqualTo(1));
        Assert.That(statistics.FailureReasons.Keys, Is.EqualTo(new[] { "Connect: refused" }), "connect failures stay");
    }

    [Test]
    public void Worker_histograms_survive_encoding_for_merging()
    {
        var histogram = LoadStatistics.NewHistogram();
        for (int i = 1; i <= 1000; i++)
        {
            histogram.RecordValue(i);
        }

        var decoded = LoadReport.DecodeHistograms(LoadReport.EncodeHistograms([("Heartbeat", histogram)])).Single();

        Assert.That(decoded.Tag, Is.EqualTo("Heartbeat"));
        Assert.That(decoded.TotalCount, Is.EqualTo(1000));
        Assert.That(decoded.GetValueAtPercentile(99), Is.EqualTo(histogram.GetValueAtPercentile(99)));
    }

    [Test]
    public void Non_loopback_urls_and_unbounded_runs_are_refused()
    {
        Assert.ThrowsAsync<ArgumentException>(() => LoopbackConnector.ResolveLoopbackAsync(new Uri("ws://192.0.2.10:8180/ocpp"), CancellationToken.None));
        Assert.DoesNotThrowAsync(() => LoopbackConnector.ResolveLoopbackAsync(new Uri("ws://127.0.0.1:8180/ocpp"), CancellationToken.None));
        var tooMany = new LoadOptions { Url = new Uri("ws://127.0.0.1:1/ocpp"), Count = LoadOptions.MaxCount + 1, Register = false };
        Assert.Throws<ArgumentException>(tooMany.Validate);
        var tooLong = new LoadOptions { Url = new Uri("ws://127.0.0.1:1/ocpp"), Duration = TimeSpan.FromHours(2), Register = false };
        Assert.Throws<ArgumentException>(tooLong.Validate);
        Assert.That(LoopbackConnector.AddressesNeeded(2_000, 28_232), Is.EqualTo(1));
        Assert.That(LoopbackConnector.AddressesNeeded(20_000, 28_232), Is.EqualTo(2));
    }
}
