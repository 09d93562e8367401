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
        Assert.Multiple(() =>
        {
            Assert.That(report.Connected, Is.EqualTo(20));
            Assert.That(report.ConnectFailures, Is.Zero);
            Assert.That(report.ConnectSeconds, Is.GreaterThan(0).And.LessThan(10));
            Assert.That(report.Connect.P50Ms, Is.GreaterThan(0));
            Assert.That(report.Errors, Is.Zero, string.Join("; ", report.FailureReasons.Select(r => $"{r.Key} x{r.Value}")));
            Assert.That(report.Calls, Is.InRange(150, 210), "about 100 calls/s for 2 s");
            Assert.That(report.Throughput, Is.InRange(70, 110));
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

        Assert.Multiple(() =>
        {
            Assert.That(report.WarmupCalls, Is.InRange(70, 110), "about 100 calls in the 1 s warm-up");
            Assert.That(report.Calls, Is.InRange(70, 110), "the steady second alone");
            Assert.That(report.Actions.Single().Calls, Is.EqualTo(report.Calls));
            Assert.That(report.ToTable(), Does.Contain("Warm-up: 1.0 s"));
        });
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
