using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Cluster;

/// <summary>
/// Two real nodes behind one database (a private PostgreSQL) and one Redis, on two loopback ports, as a load balancer
/// would spread chargers over them. Ignored, with what to install, when PostgreSQL or Redis is missing.
/// </summary>
[NonParallelizable]
public sealed class MultiNodeTests
{
    private const string TemplateKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly string _images = Path.Combine(Path.GetTempPath(), "ocppauth-cluster-images", Guid.NewGuid().ToString("N"));
    private TestServer _a = null!;
    private TestServer _b = null!;

    [SetUp]
    public async Task SetUp()
    {
        var postgres = await PostgreSqlInstance.GetAsync();
        var redis = await RedisInstance.GetAsync();
        string database = await postgres.CreateDatabaseAsync();
        string prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        _a = await TestServer.StartAsync(NodeSettings("node-a", database, redis.Configuration, prefix, _images));
        _b = await TestServer.StartAsync(NodeSettings("node-b", database, redis.Configuration, prefix, _images));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        if (Directory.Exists(_images))
        {
            Directory.Delete(_images, recursive: true);
        }
    }

    internal static Dictionary<string, string?> NodeSettings(string node, string database, string redis, string prefix, string images) => new()
    {
        ["Storage:ImageDirectory"] = images,
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:PostgreSql:ConnectionString"] = database,
        ["Cluster:Redis"] = redis,
        ["Cluster:NodeId"] = node,
        ["Cluster:KeyPrefix"] = prefix,
        ["Biometrics:TemplateKey"] = TemplateKey,
    };

    [Test]
    public async Task A_charger_on_node_A_is_commanded_through_node_B()
    {
        await _a.RegisterChargePointAsync("CP-REMOTE");
        await using var charger = await _a.ConnectAndBootAsync("CP-REMOTE");

        var sent = _b.SendCommandAsync("CP-REMOTE", "GetConfiguration", """{"key":["HeartbeatInterval"]}""");
        await charger.AnswerServerCallAsync("GetConfiguration", new { configurationKey = new[] { new { key = "HeartbeatInterval", @readonly = false, value = "300" } } });
        var answer = (await sent).AssertStatus(HttpStatusCode.OK);

        Assert.That(answer.GetProperty("configurationKey")[0].GetProperty("value").GetString(), Is.EqualTo("300"));
    }

    [Test]
    public async Task A_command_through_node_B_keeps_the_answers_of_one_node()
    {
        await _a.RegisterChargePointAsync("CP-ERR");
        await using var charger = await _a.ConnectAndBootAsync("CP-ERR");

        var refused = _b.SendCommandAsync("CP-ERR", "Reset", """{"type":"Soft"}""");
        await charger.RespondErrorAsync(await charger.NextServerCallAsync(), "NotSupported", "no reset here");
        Assert.That((await refused).Status, Is.EqualTo(HttpStatusCode.BadGateway), "a CALLERROR is a 502 as on one node");

        await _a.RegisterChargePointAsync("CP-OFF");
        Assert.That((await _b.SendCommandAsync("CP-OFF", "Reset", """{"type":"Soft"}""")).Status, Is.EqualTo(HttpStatusCode.Conflict),
            "a registered charger connected nowhere");
        Assert.That((await _b.SendCommandAsync("CP-NOWHERE", "Reset", """{"type":"Soft"}""")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_same_identity_reconnecting_to_node_B_replaces_its_socket_on_node_A()
    {
        await _a.RegisterChargePointAsync("CP-MOVE");
        await using var first = await _a.ConnectAndBootAsync("CP-MOVE");

        await using var second = await _b.ConnectAsync("CP-MOVE", user: "CP-MOVE", password: _a.PasswordOf("CP-MOVE"));
        await second.CallResultAsync("Heartbeat", new { });

        var closed = await first.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(closed, Is.EqualTo(WebSocketCloseStatus.PolicyViolation), "node A closed the old socket");
        // And the charger is now reached through node B from either node.
        var sent = _a.SendCommandAsync("CP-MOVE", "ClearCache", "{}");
        await second.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });
        (await sent).AssertStatus(HttpStatusCode.OK);
    }

    [Test]
    public async Task Credentials_changed_through_node_B_close_the_chargers_socket_on_node_A()
    {
        await _a.RegisterChargePointAsync("CP-REVOKE");
        await using var charger = await _a.ConnectAndBootAsync("CP-REVOKE");

        (await _b.PutAsync("/api/chargepoints/CP-REVOKE/password", new { password = TestServer.NewPassword() })).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await charger.Closed.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(WebSocketCloseStatus.PolicyViolation),
            "revocation reaches the socket on the other node");
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_a.WebSocketUri("CP-REVOKE"), "CP-REVOKE", _a.PasswordOf("CP-REVOKE")),
            Is.EqualTo(HttpStatusCode.Unauthorized), "and the old password is refused on every node");
    }

    [Test]
    public async Task A_key_rotated_through_node_B_closes_the_socket_on_node_A_admitted_with_the_old_key()
    {
        await _a.RegisterChargePointAsync("CP-ROTATE");
        await using var charger = await _a.ConnectAndBootAsync("CP-ROTATE");

        var rotated = _b.PostAsync("/api/chargepoints/CP-ROTATE/authorization-key", new { });
        var change = await charger.NextServerCallAsync();
        Assert.That(change.Action, Is.EqualTo("ChangeConfiguration"));
        await charger.RespondAsync(change, new { status = "Accepted" });
        Assert.That((int)(await rotated).Status, Is.InRange(200, 299));

        Assert.That(await charger.Closed.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(WebSocketCloseStatus.PolicyViolation),
            "the socket node A admitted with the old key is closed");
    }

    [Test]
    public async Task Evidence_recorded_through_node_A_serves_a_start_handled_on_node_B()
    {
        // The charger and its station live on node B; the attendant's entry is made through node A's API.
        await using var scenario = await LayeredScenario.CreateAsync(_b, "cluster-evidence");
        using (var entry = await _a.Api.PostAsJsonAsync($"/api/stations/{scenario.StationId}/preverifications", new { plate = scenario.Plate }))
        {
            entry.EnsureSuccessStatusCode();
        }

        Assert.That((await scenario.SendVinAsync()).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That((await scenario.SendTokenAsync(scenario.GenuineToken())).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var start = await scenario.StartTransactionAsync();

        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task A_driver_blocked_through_node_A_is_refused_on_node_B()
    {
        await using var scenario = await LayeredScenario.CreateAsync(_b, "cluster-block");
        await scenario.PresentAllEvidenceAsync();
        // Node B has read (and cached) the driver while deciding this Authorize.
        var before = await scenario.Client.CallResultAsync("Authorize", new { idTag = scenario.IdTag });
        Assert.That(before.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        (await _a.PostAsync($"/api/drivers/{scenario.DriverId}/block")).AssertStatus(HttpStatusCode.NoContent);

        await Eventually.UntilAsync(
            async () => (await scenario.Client.CallResultAsync("Authorize", new { idTag = scenario.IdTag }))
                .GetProperty("idTagInfo").GetProperty("status").GetString(),
            status => status == "Blocked",
            "node B dropped its cached driver when node A blocked it");
    }
}
