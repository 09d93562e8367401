using System.Net;
using ChargePointSimulator.Fuzz;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// The frame fuzzer against the real server over one WebSocket: thousands of mutated frames of the ten charge point
/// actions (a fixed seed, so a failure reproduces), each of which must get its answer in time — the right id, an
/// OCPP-J 1.6 code, no reply to an unsolicited answer, the expected close — with a Heartbeat answered after each.
/// The benchmark-size run is <c>fuzz --frames 10000</c> of the simulator (its README).
/// </summary>
public sealed class FrameFuzzTests
{
    private const string Password = "f0220123456789abcdef0123456789ab";

    [Test]
    public async Task Three_thousand_mutated_frames_are_each_answered_as_they_must_be()
    {
        await using var server = await StartServerAsync();
        // Seed 20 draws, among the rest, payloads that name a property twice (refused since the fuzzer found them processed).
        var report = await FuzzAsync(server, TestIds.Next("FUZZ"), seed: 20, frames: 3000, new FuzzLimits());

        Assert.That(report.Categories.Keys, Is.SupersetOf(new FrameGenerator(20, new FuzzLimits { BeyondDiscardLimit = false }).Categories));
        AssertPassed(report, 3000);
    }

    [Test]
    public async Task Small_frame_limits_are_fuzzed_as_well_while_the_server_sends_calls_of_its_own()
    {
        // Limits small enough that oversized frames, and frames beyond the discard limit (closed with 1009), are common.
        var limits = new FuzzLimits { MaxFrameBytes = 2048, MaxDiscardedFrameBytes = 16384 };
        await using var server = await StartServerAsync(limits);
        string id = TestIds.Next("FUZZ");
        var fuzzing = FuzzAsync(server, id, seed: 20240601, frames: 1000, limits);

        // CALLs of the server reach the fuzzer between its frames: it answers them NotSupported and goes on.
        var refused = new List<ApiResponse>();
        while (!fuzzing.IsCompleted && refused.Count < 3)
        {
            var response = await server.SendCommandAsync(id, "ClearCache", "{}");
            if (response.Status == HttpStatusCode.BadGateway)
            {
                refused.Add(response);
            }

            await Task.Delay(100);
        }

        var report = await fuzzing;
        AssertPassed(report, 1000);
        Assert.That(refused, Is.Not.Empty, "a ClearCache reached the fuzzer while it ran");
        Assert.That(refused.Select(r => r.Text), Has.All.Contains("NotSupported"));
        Assert.That(report.ServerCalls, Is.GreaterThanOrEqualTo(refused.Count));
    }

    private static Task<TestServer> StartServerAsync(FuzzLimits? limits = null)
    {
        limits ??= new FuzzLimits();
        return TestServer.StartAsync(new Dictionary<string, string?>
        {
            // Every refused frame is logged as information or a warning: only errors are of interest here.
            ["Logging:LogLevel:Default"] = "Error",
            ["Ocpp:MaxFrameBytes"] = $"{limits.MaxFrameBytes}",
            ["Ocpp:MaxDiscardedFrameBytes"] = $"{limits.MaxDiscardedFrameBytes}",
        });
    }

    private static async Task<FuzzReport> FuzzAsync(TestServer server, string id, int seed, int frames, FuzzLimits limits)
    {
        await server.RegisterChargePointAsync(id, Password);
        var options = new FuzzOptions
        {
            Endpoint = new Uri($"ws://{server.BaseUri.Authority}/ocpp"),
            ChargePointId = id,
            Password = Password,
            Frames = frames,
            Seed = seed,
            Limits = limits,
            ShownFailures = 10,
        };

        var report = await new FrameFuzzer(options).RunAsync(CancellationToken.None);
        await TestContext.Out.WriteLineAsync(report.ToText());
        return report;
    }

    private static void AssertPassed(FuzzReport report, int frames)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(report.Aborted, Is.Null);
            Assert.That(report.Frames, Is.EqualTo(frames));
            Assert.That(report.Failures, Is.Zero, report.ToText());
            Assert.That(report.HeartbeatLatency.Count, Is.EqualTo(frames), "a Heartbeat answered after every frame");
            Assert.That(report.Answers.Keys, Does.Contain("no reply").And.Contain("closed 1007 InvalidPayloadData").And.Contain("FormationViolation").And.Contain("CALLRESULT"));
            Assert.That(report.Reconnects, Is.GreaterThan(0), "the closed connections were opened again");
        }
    }
}
