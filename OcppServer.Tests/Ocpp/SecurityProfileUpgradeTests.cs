using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// OCA TC_083_CSMS, "Upgrade Charge Point Security Profile - Accepted": the central system sends ChangeConfiguration
/// SecurityProfile one level higher, then Reset (Hard); the charge point reconnects with the new profile, and the weaker
/// way is refused from then on. The API does it as one operation; credentials the new profile needs come first.
/// </summary>
public sealed class SecurityProfileUpgradeTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>Answers the upgrade's calls as a charger that takes them: SecurityProfile Accepted, Reset Accepted.</summary>
    private static async Task AcceptUpgradeAsync(OcppTestClient client, int profile)
    {
        var change = await client.NextServerCallAsync();
        Assert.That((change.Action, change.Payload.GetProperty("key").GetString(), change.Payload.GetProperty("value").GetString()),
            Is.EqualTo(("ChangeConfiguration", "SecurityProfile", profile.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await client.RespondAsync(change, new { status = "Accepted" });
        var reset = await client.NextServerCallAsync();
        Assert.That((reset.Action, reset.Payload.GetProperty("type").GetString()), Is.EqualTo(("Reset", "Hard")));
        await client.RespondAsync(reset, new { status = "Accepted" });
    }

    [Test(Description = "TC_083_CSMS")]
    public async Task TC_083_CSMS_profile_1_to_2_then_plain_ws_is_refused_and_TLS_admitted()
    {
        string id = TestIds.Next("UP");
        await _server.RegisterChargePointAsync(id);
        await using var client = await _server.ConnectAndBootAsync(id);

        var raising = _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile = 2 });
        await AcceptUpgradeAsync(client, 2);

        var outcome = (await raising).AssertStatus(HttpStatusCode.OK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcome.GetProperty("result").GetString(), Is.EqualTo("Raised"));
            Assert.That((outcome.GetProperty("previousProfile").GetInt32(), outcome.GetProperty("profile").GetInt32()), Is.EqualTo((1, 2)));
            Assert.That(outcome.GetProperty("resetStatus").GetString(), Is.EqualTo("Accepted"));
            Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation),
                "the connection admitted on profile 1 ends");
        }

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, _server.PasswordOf(id)), Is.EqualTo(HttpStatusCode.Unauthorized),
            "the old weaker way is refused");
        await using var upgraded = await OcppTestClient.ConnectAsync(
            _server.SecureWebSocketUri(id), user: id, password: _server.PasswordOf(id), configure: _server.Tls());
        Assert.That(await upgraded.BootAsync(), Is.EqualTo("Accepted"));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("securityProfile").GetInt32(), Is.EqualTo(2));
    }

    [Test(Description = "TC_083_CSMS")]
    public async Task TC_083_CSMS_profile_2_to_3_then_Basic_alone_is_refused_and_the_certificate_admitted()
    {
        string id = TestIds.Next("UP");
        await _server.RegisterChargePointAsync(id, securityProfile: 2);
        var certificate = _server.Pki!.IssueClientCertificate(id);
        await using var client = await OcppTestClient.ConnectAsync(
            _server.SecureWebSocketUri(id), user: id, password: _server.PasswordOf(id), configure: _server.Tls());
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));

        var raising = _server.SendCommandAsync(id, "ChangeConfiguration", JsonSerializer.Serialize(new { key = "SecurityProfile", value = "3" }));
        await AcceptUpgradeAsync(client, 3);

        Assert.That((await raising).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"),
            "through the commands API the answer is the charger's ChangeConfiguration.conf");
        Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.SecureWebSocketUri(id), id, _server.PasswordOf(id), configure: _server.Tls()),
            Is.EqualTo(HttpStatusCode.Unauthorized), "Basic alone is a downgrade now");
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(certificate)),
            Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        var events = (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray().Select(e => e.GetProperty("type").GetString());
        Assert.That(events, Does.Contain("ReconfigurationOfSecurityParameters"));
    }

    [Test(Description = "TC_083_CSMS")]
    public async Task A_charger_without_credentials_gets_its_AuthorizationKey_first()
    {
        string id = TestIds.Next("UP");
        await _server.RegisterChargePointAsync(id, allowUnauthenticated: true);
        await using var client = await _server.ConnectAndBootAsync(id);

        var raising = _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile = 1 });
        var key = await client.NextServerCallAsync();
        Assert.That(key.Payload.GetProperty("key").GetString(), Is.EqualTo("AuthorizationKey"), "new credentials first");
        string newKey = key.Payload.GetProperty("value").GetString()!;
        await client.RespondAsync(key, new { status = "Accepted" });
        await AcceptUpgradeAsync(client, 1);

        Assert.That((await raising).AssertStatus(HttpStatusCode.OK).GetProperty("result").GetString(), Is.EqualTo("Raised"));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, newKey), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("allowUnauthenticated").GetBoolean(), Is.False);
    }

    [Test]
    public async Task A_charger_that_refuses_keeps_its_profile_and_is_not_reset()
    {
        string id = TestIds.Next("UP");
        await _server.RegisterChargePointAsync(id);
        await using var client = await _server.ConnectAndBootAsync(id);

        var raising = _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile = 2 });
        await client.AnswerServerCallAsync("ChangeConfiguration", new { status = "Rejected" });

        Assert.That((await raising).AssertStatus(HttpStatusCode.OK).GetProperty("result").GetString(), Is.EqualTo("Refused"));
        await client.AssertUsableAsync();
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("securityProfile").GetInt32(), Is.EqualTo(1));
        var commands = await _server.QueryDatabaseAsync("SELECT action FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(commands.Select(c => c["action"]), Is.EqualTo(new[] { "ChangeConfiguration" }), "no Reset");
    }

    [TestCase(1, TestName = "TC_084-like: the same profile is refused by the API, nothing is sent")]
    [TestCase(0, TestName = "TC_084-like: a lower profile is refused by the API, nothing is sent")]
    public async Task Profiles_are_only_raised(int profile)
    {
        string id = TestIds.Next("UP");
        await _server.RegisterChargePointAsync(id);
        await using var client = await _server.ConnectAndBootAsync(id);

        (await _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile })).AssertProblem(HttpStatusCode.BadRequest);
        (await _server.SendCommandAsync(id, "ChangeConfiguration", JsonSerializer.Serialize(new { key = "SecurityProfile", value = "0" })))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(await _server.QueryDatabaseAsync("SELECT id FROM commands WHERE charge_point_id = @id", ("@id", id)), Is.Empty);
    }

    [Test]
    public async Task A_charger_that_is_not_connected_cannot_be_upgraded()
    {
        string id = TestIds.Next("UP");
        await _server.RegisterChargePointAsync(id);
        (await _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile = 2 })).AssertProblem(HttpStatusCode.Conflict);
        (await _server.PostAsync($"/api/chargepoints/{TestIds.Next("UP")}/security-profile", new { profile = 2 })).AssertProblem(HttpStatusCode.NotFound);
    }
}
