using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>OCPP 1.6 security profile 1: HTTP Basic authentication at the handshake, user name = charge point identity.</summary>
public sealed class BasicAuthTests
{
    private const string Password = "Correct-Horse-42";

    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private async Task<string> RegisterWithPasswordAsync()
    {
        string id = TestIds.Next("AUTH");
        await _server.RegisterChargePointAsync(id, Password);
        return id;
    }

    [Test]
    public async Task Correct_credentials_connect()
    {
        string id = await RegisterWithPasswordAsync();

        await using var client = await _server.ConnectAsync(id, user: id, password: Password);

        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("requiresPassword").GetBoolean(), Is.True);
    }

    private static IEnumerable<TestCaseData> WrongCredentials()
    {
        yield return new TestCaseData(null, null).SetName("No Authorization header -> 401 with WWW-Authenticate");
        yield return new TestCaseData("{id}", "Wrong-Horse-42").SetName("Wrong password -> 401 with WWW-Authenticate");
        yield return new TestCaseData("{id}", Password + " ").SetName("Password with a trailing space -> 401 with WWW-Authenticate");
        yield return new TestCaseData("someone-else", Password).SetName("Wrong user name -> 401 with WWW-Authenticate");
        yield return new TestCaseData("{id}", "").SetName("Empty password -> 401 with WWW-Authenticate");
    }

    [TestCaseSource(nameof(WrongCredentials))]
    public async Task Wrong_credentials_are_refused_with_401(string? user, string? password)
    {
        string id = await RegisterWithPasswordAsync();

        var handshake = await OcppTestClient.HandshakeAsync(_server.WebSocketUri(id), user?.Replace("{id}", id, StringComparison.Ordinal), password);

        Assert.That(handshake.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(handshake.Header("WWW-Authenticate"), Does.StartWith("Basic ").And.Contain("realm="));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Password_is_not_required_of_a_charge_point_registered_without_one()
    {
        string id = TestIds.Next("NOPW");
        await _server.RegisterChargePointAsync(id);

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, "anything-at-all"), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task Removing_the_password_lets_the_charge_point_connect_without_credentials()
    {
        string id = await RegisterWithPasswordAsync();
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.Unauthorized));

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password = (string?)null })).AssertStatus(HttpStatusCode.NoContent);

        await using var client = await _server.ConnectAsync(id);
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("requiresPassword").GetBoolean(), Is.False);
        var stored = await _server.QueryDatabaseAsync("SELECT password_hash FROM charge_points WHERE id = @id", ("@id", id));
        Assert.That(stored[0]["password_hash"], Is.Null);
    }

    [Test]
    public async Task Setting_a_new_password_replaces_the_old_one()
    {
        string id = await RegisterWithPasswordAsync();

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password = "Another-Pass-99" })).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, "Another-Pass-99"), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task Setting_a_password_on_an_open_charge_point_requires_it_from_then_on()
    {
        string id = TestIds.Next("LATEPW");
        await _server.RegisterChargePointAsync(id);

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password = Password })).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task Password_is_stored_hashed()
    {
        string id = await RegisterWithPasswordAsync();

        var rows = await _server.QueryDatabaseAsync("SELECT password_hash FROM charge_points WHERE id = @id", ("@id", id));

        Assert.That(rows, Has.Count.EqualTo(1));
        string? hash = rows[0]["password_hash"] as string;
        Assert.That(hash, Does.StartWith("pbkdf2-sha256$"));
        Assert.That(hash, Does.Not.Contain(Password));
        Assert.That(hash, Does.Not.Contain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Password))));
    }

    [Test]
    public async Task Api_never_returns_the_password_or_its_hash()
    {
        string id = await RegisterWithPasswordAsync();

        var response = await _server.GetAsync($"/api/chargepoints/{id}");

        Assert.That(response.Text, Does.Not.Contain(Password).And.Not.Contain("pbkdf2"));
    }

    [TestCase("short")]
    [TestCase("1234567")]
    public async Task Password_shorter_than_8_characters_is_refused(string password)
    {
        string id = TestIds.Next("PW");
        await _server.RegisterChargePointAsync(id);

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "password unchanged");
    }

    [Test]
    public async Task Setting_the_password_of_an_unknown_charge_point_is_404()
    {
        (await _server.PutAsync($"/api/chargepoints/{TestIds.Next("NOSUCH")}/password", new { password = Password })).AssertProblem(HttpStatusCode.NotFound);
    }
}
