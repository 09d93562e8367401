using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// OCA TC_073_CSMS, "Update Charge Point Password for HTTP Basic Authentication": the central system sends
/// ChangeConfiguration AuthorizationKey; the charge point accepts, disconnects and reconnects with the new key. The
/// stored key changes exactly when the charger takes the new one: never refused with the key it was given, never
/// admitted with the old one afterwards.
/// </summary>
public sealed class AuthorizationKeyRotationTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private async Task<(string Id, string OldKey, OcppTestClient Client)> ConnectedAsync()
    {
        string id = TestIds.Next("KEY");
        string oldKey = TestServer.NewPassword();
        await _server.RegisterChargePointAsync(id, oldKey);
        return (id, oldKey, await _server.ConnectAndBootAsync(id));
    }

    private Task<HttpStatusCode> HandshakeAsync(string id, string key) => OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, key);

    [Test(Description = "TC_073_CSMS")]
    public async Task TC_073_CSMS_a_key_sent_through_the_commands_API_is_the_key_once_the_charger_accepts()
    {
        var (id, oldKey, client) = await ConnectedAsync();
        await using var _ = client;
        string newKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

        var sending = _server.SendCommandAsync(id, "ChangeConfiguration", JsonSerializer.Serialize(new { key = "AuthorizationKey", value = newKey }));
        var call = await client.NextServerCallAsync();
        Assert.That((call.Action, call.Payload.GetProperty("key").GetString(), call.Payload.GetProperty("value").GetString()),
            Is.EqualTo(("ChangeConfiguration", "AuthorizationKey", newKey)));
        await client.RespondAsync(call, new { status = "Accepted" });

        var answer = (await sending).AssertStatus(HttpStatusCode.OK);
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        // The connection admitted with the old key is closed: the charger reconnects with the new one.
        Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await HandshakeAsync(id, newKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "the new key admits it");
            Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.Unauthorized), "the old key no longer does");
        }

        var logged = await _server.QueryDatabaseAsync("SELECT request FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(logged.Single()["request"] as string, Does.Not.Contain(newKey), "the key is not kept in the command log");
        await Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray()
                .Any(e => e.GetProperty("type").GetString() == "ReconfigurationOfSecurityParameters"),
            r => r, "the rotation is a security event");
    }

    [Test(Description = "TC_073_CSMS")]
    public async Task TC_073_CSMS_the_rotation_operation_makes_up_a_key_that_only_the_charger_sees()
    {
        var (id, oldKey, client) = await ConnectedAsync();
        await using var _ = client;

        var rotating = _server.PostAsync($"/api/chargepoints/{id}/authorization-key");
        var call = await client.NextServerCallAsync();
        string newKey = call.Payload.GetProperty("value").GetString()!;
        await client.RespondAsync(call, new { status = "Accepted" });

        var body = (await rotating).AssertStatus(HttpStatusCode.OK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(newKey, Does.Match("^[0-9A-F]{40}$"), "20 random bytes as hex");
            Assert.That(body.GetProperty("result").GetString(), Is.EqualTo("Rotated"));
            Assert.That(body.GetRawText(), Does.Not.Contain(newKey), "the key is never returned");
            Assert.That(await HandshakeAsync(id, newKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
            Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [Test]
    public async Task A_refused_key_changes_nothing_and_the_connection_stays()
    {
        var (id, oldKey, client) = await ConnectedAsync();
        await using var _ = client;
        string newKey = TestServer.NewPassword();

        var sending = _server.SendCommandAsync(id, "ChangeConfiguration", JsonSerializer.Serialize(new { key = "AuthorizationKey", value = newKey }));
        await client.AnswerServerCallAsync("ChangeConfiguration", new { status = "Rejected" });

        Assert.That((await sending).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        await client.AssertUsableAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await HandshakeAsync(id, newKey), Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await _server.GetChargePointAsync(id)).GetProperty("authorizationKeyRotationPending").GetBoolean(), Is.False);
        }

        Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task A_charger_that_reconnects_with_the_new_key_before_answering_is_admitted_and_the_old_key_is_then_refused()
    {
        var (id, oldKey, client) = await ConnectedAsync();
        await using var _ = client;

        var rotating = _server.PostAsync($"/api/chargepoints/{id}/authorization-key");
        var call = await client.NextServerCallAsync();
        string newKey = call.Payload.GetProperty("value").GetString()!;
        // The charger stores the key and reconnects with it at once: its answer never reaches the server.
        await using var reconnected = await _server.ConnectAsync(id, id, newKey);

        (await rotating).AssertProblem(HttpStatusCode.GatewayTimeout);
        Assert.That(await reconnected.BootAsync(), Is.EqualTo("Accepted"));
        var view = await _server.GetChargePointAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(view.GetProperty("authorizationKeyRotationPending").GetBoolean(), Is.False, "connecting with the new key made it the key");
            Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [Test]
    public async Task Without_an_answer_both_keys_admit_the_charger_until_it_uses_the_new_one()
    {
        var (id, oldKey, client) = await ConnectedAsync();

        var rotating = _server.PostAsync($"/api/chargepoints/{id}/authorization-key");
        var call = await client.NextServerCallAsync();
        string newKey = call.Payload.GetProperty("value").GetString()!;
        await client.DisposeAsync(); // the connection drops before the answer

        (await rotating).AssertProblem(HttpStatusCode.GatewayTimeout);
        var view = await _server.GetChargePointAsync(id);
        Assert.That(view.GetProperty("authorizationKeyRotationPending").GetBoolean(), Is.True);
        Assert.That(view.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()), Does.Contain("authorizationKeyRotationPending"));

        Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "the old key still works");
        Assert.That(await HandshakeAsync(id, newKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "the new key works and becomes the key");
        Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.Unauthorized), "from then on the old key is refused");
    }

    [TestCase("0123456789abcdef")]
    [TestCase("not hex at all, not hex at all, no")]
    public async Task A_key_that_is_not_an_AuthorizationKey_is_refused_and_not_sent(string value)
    {
        var (id, oldKey, client) = await ConnectedAsync();
        await using var _ = client;

        (await _server.SendCommandAsync(id, "ChangeConfiguration", JsonSerializer.Serialize(new { key = "AuthorizationKey", value })))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(await _server.QueryDatabaseAsync("SELECT id FROM commands WHERE charge_point_id = @id", ("@id", id)), Is.Empty, "nothing was sent");
        Assert.That(await HandshakeAsync(id, oldKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }
}
