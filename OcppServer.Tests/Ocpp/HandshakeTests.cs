using System.Net;
using System.Net.WebSockets;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>The WebSocket handshake: subprotocol negotiation (OCPP-J 1.6 §4.1.2), identity rules, unknown and rejected charge points.</summary>
public sealed class HandshakeTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Offered_ocpp16_is_selected()
    {
        string id = TestIds.Next("HS");
        await _server.RegisterChargePointAsync(id);

        await using var client = await OcppTestClient.ConnectAsync(_server.WebSocketUri(id), ["ocpp2.0.1", "ocpp1.6"], id, _server.PasswordOf(id));

        Assert.That(client.SubProtocol, Is.EqualTo("ocpp1.6"));
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
    }

    [TestCase("", TestName = "No subprotocol offered: handshake completes, then the server closes with 1002")]
    [TestCase("ocpp2.0.1", TestName = "Only ocpp2.0.1 offered: handshake completes, then the server closes with 1002")]
    [TestCase("ocpp1.5,OCPP1.6", TestName = "Only other spellings offered: handshake completes, then the server closes with 1002")]
    public async Task Missing_subprotocol_is_refused_after_the_handshake(string offered)
    {
        string id = TestIds.Next("HS");
        await _server.RegisterChargePointAsync(id);

        await using var client = await OcppTestClient.ConnectAsync(
            _server.WebSocketUri(id), offered.Split(',', StringSplitOptions.RemoveEmptyEntries));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.SubProtocol, Is.Null);
            Assert.That(client.HandshakeHeaders!.Keys, Has.None.EqualTo("Sec-WebSocket-Protocol").IgnoreCase);
        }

        var closed = await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout);
        Assert.That(closed, Is.EqualTo(WebSocketCloseStatus.ProtocolError));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Empty_identity_is_refused_with_400()
    {
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri("")), Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Identity_over_48_characters_is_refused_with_400()
    {
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(new string('L', 49))), Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Identity_with_a_control_character_is_refused_with_400()
    {
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri("CP\u0007BELL")), Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Identity_of_48_characters_connects()
    {
        string id = TestIds.Next("MAX").PadRight(48, 'x');
        await using var client = await _server.ConnectBootedAsync(id);

        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Url_encoded_identity_is_decoded()
    {
        string id = TestIds.Next("CP A");
        await _server.RegisterChargePointAsync(id);
        var uri = _server.WebSocketUri(id);
        Assert.That(uri.AbsoluteUri, Does.Contain("CP%20A"));

        await using var client = await OcppTestClient.ConnectAsync(uri, user: id, password: _server.PasswordOf(id));
        Assert.That(await client.BootAsync("Encoded"), Is.EqualTo("Accepted"));

        var cp = await _server.GetChargePointAsync(id);
        Assert.That(cp.GetProperty("id").GetString(), Is.EqualTo(id));
        Assert.That(cp.GetProperty("connected").GetBoolean(), Is.True);
        Assert.That(cp.GetProperty("vendor").GetString(), Is.EqualTo("Encoded"));
    }

    [Test]
    public async Task Plain_http_request_to_the_ocpp_endpoint_is_refused_with_400()
    {
        using var client = new HttpClient { BaseAddress = _server.BaseUri };

        using var response = await client.GetAsync("/ocpp/CP-PLAIN");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Unknown_charge_point_is_refused_with_401_by_default()
    {
        string id = TestIds.Next("UNKNOWN");

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.Unauthorized),
            "the same answer as a wrong password: nothing tells which identities exist");
        Assert.That((await _server.GetAsync($"/api/chargepoints/{id}")).Status, Is.EqualTo(HttpStatusCode.NotFound), "not registered by the attempt");
    }

    [Test]
    public async Task Rejected_charge_point_is_refused_at_the_handshake()
    {
        string id = TestIds.Next("REJ");
        await _server.RegisterChargePointAsync(id);
        (await _server.PostAsync($"/api/chargepoints/{id}/reject")).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, _server.PasswordOf(id)), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.False);
    }
}
