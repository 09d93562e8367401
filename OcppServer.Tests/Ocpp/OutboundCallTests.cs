using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Server→charger CALLs: at most one outstanding per charger (OCPP-J §4.1.1), timeouts, isolation between chargers,
/// and a reconnect replacing the old socket. A CALL the test answers never times out, however slow the machine (the
/// call timeout is longer than any wait of a test); the timeout case shortens it for its one CALL only.
/// </summary>
public sealed class OutboundCallTests
{
    private const string CallTimeoutSetting = "Ocpp:CallTimeoutSeconds";
    private const int CallTimeoutSeconds = 60;
    private const int ShortCallTimeoutSeconds = 2;

    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { [CallTimeoutSetting] = $"{CallTimeoutSeconds}" });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private Task<ApiResponse> ChangeConfigurationAsync(string chargePointId, string key) =>
        _server.SendCommandAsync(chargePointId, "ChangeConfiguration", $$"""{"key":"{{key}}","value":"1"}""");

    [Test]
    public async Task Second_call_is_sent_only_after_the_first_is_answered()
    {
        string id = TestIds.Next("QUEUE");
        await using var client = await _server.ConnectBootedAsync(id);

        var apiA = ChangeConfigurationAsync(id, "KeyA");
        var first = await client.NextServerCallAsync();
        var apiB = ChangeConfigurationAsync(id, "KeyB");

        // While the first CALL is outstanding nothing else may be sent, however long the charger takes.
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(500)), Is.Null, "a second CALL was sent while one was outstanding");
        Assert.That(apiB.IsCompleted, Is.False);
        Assert.That(first.Payload.GetProperty("key").GetString(), Is.EqualTo("KeyA"));
        await client.RespondAsync(first, new { status = "Accepted" });

        var second = await client.NextServerCallAsync();
        Assert.That(second.Payload.GetProperty("key").GetString(), Is.EqualTo("KeyB"));
        Assert.That(second.UniqueId, Is.Not.EqualTo(first.UniqueId));
        await client.RespondAsync(second, new { status = "Rejected" });

        // Each API request gets the answer to its own CALL.
        Assert.That((await apiA).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That((await apiB).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
    }

    [Test]
    public async Task Many_concurrent_commands_are_sent_one_at_a_time_and_all_answered()
    {
        string id = TestIds.Next("QUEUE");
        await using var client = await _server.ConnectBootedAsync(id);
        var requests = Enumerable.Range(0, 5).Select(i => ChangeConfigurationAsync(id, $"Key{i}")).ToList();

        var keys = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            var call = await client.NextServerCallAsync();
            string key = call.Payload.GetProperty("key").GetString()!;
            keys.Add(key);
            Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(50)), Is.Null, $"CALL sent while {key} was outstanding");
            await client.RespondAsync(call, new { status = key == "Key3" ? "Rejected" : "Accepted" });
        }

        Assert.That(keys, Is.EquivalentTo(Enumerable.Range(0, 5).Select(i => $"Key{i}")));
        var statuses = new List<string?>();
        foreach (var request in requests)
        {
            statuses.Add((await request).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString());
        }

        Assert.That(statuses, Is.EqualTo(new[] { "Accepted", "Accepted", "Accepted", "Rejected", "Accepted" }));
    }

    [Test]
    public async Task Charger_that_never_answers_gives_504_and_the_next_call_still_works()
    {
        string id = TestIds.Next("SILENT");
        await using var client = await _server.ConnectBootedAsync(id);
        ReceivedFrame ignored;
        ApiResponse response;
        TimeSpan waited;
        _server.ChangeSetting(CallTimeoutSetting, $"{ShortCallTimeoutSeconds}");
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var api = _server.SendCommandAsync(id, "GetLocalListVersion", "{}");
            ignored = await client.NextServerCallAsync();
            response = await api;
            waited = stopwatch.Elapsed;
        }
        finally
        {
            _server.ChangeSetting(CallTimeoutSetting, $"{CallTimeoutSeconds}");
        }

        response.AssertProblem(HttpStatusCode.GatewayTimeout);
        // Only a lower bound: the server waited for the answer as long as configured (a busy machine makes it later, never earlier).
        Assert.That(waited, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(ShortCallTimeoutSeconds - 0.1)), "gave up before the call timeout");
        var recorded = await _server.QueryDatabaseAsync("SELECT outcome FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(recorded.Select(r => r["outcome"]), Is.EqualTo(new[] { "Timeout" }));

        // A late answer to the timed-out CALL is ignored (no reply), and the next command goes through.
        await client.RespondAsync(ignored, new { listVersion = 1 });
        var next = _server.SendCommandAsync(id, "GetLocalListVersion", "{}");
        var call = await client.NextServerCallAsync();
        Assert.That(call.UniqueId, Is.Not.EqualTo(ignored.UniqueId));
        await client.RespondAsync(call, new { listVersion = 2 });
        Assert.That((await next).AssertStatus(HttpStatusCode.OK).GetProperty("listVersion").GetInt32(), Is.EqualTo(2));
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Charger_that_never_answers_does_not_block_another_charger()
    {
        string silentId = TestIds.Next("SILENT");
        string liveId = TestIds.Next("LIVE");
        await using var silent = await _server.ConnectBootedAsync(silentId);
        await using var live = await _server.ConnectBootedAsync(liveId);

        // The silent charger's CALL stays outstanding for the whole test (the call timeout is longer than the test's
        // waits): a CALL to the other charger that waited behind it would not arrive within NextServerCallAsync's wait.
        var stuck = _server.SendCommandAsync(silentId, "Reset", """{"type":"Soft"}""");
        await silent.NextServerCallAsync();

        var api = _server.SendCommandAsync(liveId, "Reset", """{"type":"Hard"}""");
        var call = await live.NextServerCallAsync();
        Assert.That(call.Payload.GetProperty("type").GetString(), Is.EqualTo("Hard"));
        await live.RespondAsync(call, new { status = "Accepted" });
        Assert.That((await api).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(stuck.IsCompleted, Is.False, "the other charger's call is still waiting for its answer");

        // Its inbound CALLs are not blocked by its own outstanding outbound CALL either.
        await silent.AssertUsableAsync();

        // It never answers: when it goes away, the API request fails instead of waiting out the timeout.
        await silent.CloseAsync();
        (await stuck).AssertProblem(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Charger_answers_our_call_while_its_own_call_is_being_handled()
    {
        string id = TestIds.Next("BOTH");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "ClearCache", "{}");
        var call = await client.NextServerCallAsync();
        var heartbeat = await client.CallResultAsync("Heartbeat", new { });
        await client.RespondAsync(call, new { status = "Accepted" });

        Assert.That(heartbeat.GetProperty("currentTime").GetString(), Does.EndWith("Z"));
        Assert.That((await api).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Reconnect_replaces_the_old_socket_and_fails_its_pending_call_with_409()
    {
        string id = TestIds.Next("RECON");
        await using var oldClient = await _server.ConnectBootedAsync(id);

        // A command is outstanding on the old connection when the charger reconnects.
        var pending = _server.SendCommandAsync(id, "Reset", """{"type":"Soft"}""");
        await oldClient.NextServerCallAsync();
        await using var newClient = await _server.ConnectAsync(id);

        Assert.That(await oldClient.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        (await pending).AssertProblem(HttpStatusCode.Conflict);
        var recorded = await _server.QueryDatabaseAsync("SELECT outcome FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(recorded.Select(r => r["outcome"]), Is.EqualTo(new[] { "Disconnected" }));

        // The new connection is the live one, for inbound and outbound calls.
        Assert.That(newClient.State, Is.EqualTo(WebSocketState.Open));
        await newClient.AssertUsableAsync();
        var api = _server.SendCommandAsync(id, "Reset", """{"type":"Hard"}""");
        var call = await newClient.NextServerCallAsync();
        await newClient.RespondAsync(call, new { status = "Accepted" });
        Assert.That((await api).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Old_socket_closing_after_a_reconnect_leaves_the_new_one_registered()
    {
        string id = TestIds.Next("RECON");
        var oldClient = await _server.ConnectBootedAsync(id);
        await using var newClient = await _server.ConnectAsync(id);
        await oldClient.Closed.WaitAsync(OcppTestClient.DefaultTimeout);
        await oldClient.DisposeAsync();

        var api = _server.SendCommandAsync(id, "ClearCache", "{}");
        var call = await newClient.NextServerCallAsync();
        await newClient.RespondAsync(call, new { status = "Accepted" });

        (await api).AssertStatus(HttpStatusCode.OK);
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.True);
        Assert.That((await _server.GetJsonAsync("/healthz")).GetProperty("connections").GetInt32(), Is.GreaterThanOrEqualTo(1));
    }
}
