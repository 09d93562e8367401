using System.Net;
using System.Net.WebSockets;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// OCPP 1.6 security profile 1: HTTP Basic at the handshake, user name = charge point identity, password = its
/// AuthorizationKey. Every charge point authenticates unless an operator explicitly allowed it not to; every refused
/// handshake looks the same (401); revoking credentials closes the live socket.
/// </summary>
public sealed class BasicAuthTests
{
    private static readonly string Password = TestServer.NewPassword();

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

    [Test]
    public async Task The_key_is_accepted_in_either_letter_case_only_as_registered()
    {
        string id = TestIds.Next("AUTH");
        string lower = Password.ToLowerInvariant();
        await _server.RegisterChargePointAsync(id, lower);

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, lower), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, lower.ToUpperInvariant()), Is.EqualTo(HttpStatusCode.Unauthorized),
            "the password is the hex text the charger is configured with, compared as it is");
    }

    private static IEnumerable<TestCaseData> WrongCredentials()
    {
        yield return new TestCaseData(null, null).SetName("No Authorization header -> 401 with WWW-Authenticate");
        yield return new TestCaseData("{id}", TestServer.NewPassword()).SetName("Wrong password -> 401 with WWW-Authenticate");
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
    public async Task Registration_without_a_password_or_an_explicit_opt_out_is_refused()
    {
        string id = TestIds.Next("NOPW");

        var problem = (await _server.PostAsync("/api/chargepoints", new { id })).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("must authenticate"));
        (await _server.GetAsync($"/api/chargepoints/{id}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_charge_point_explicitly_allowed_to_connect_unauthenticated_does_and_is_shown_as_a_risk()
    {
        string id = TestIds.Next("OPEN");

        var created = (await _server.PostAsync("/api/chargepoints", new { id, allowUnauthenticated = true })).AssertStatus(HttpStatusCode.Created);

        Assert.That(created.GetProperty("allowUnauthenticated").GetBoolean(), Is.True);
        Assert.That(created.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()), Does.Contain("allowUnauthenticated"));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task An_intruder_cannot_take_over_a_charge_point_registered_by_default()
    {
        string id = TestIds.Next("VICTIM");
        await _server.RegisterChargePointAsync(id);
        await using var genuine = await _server.ConnectAsync(id);
        Assert.That(await genuine.BootAsync(), Is.EqualTo("Accepted"));

        // The intruder knows the identity, not the key: refused, and the genuine socket is untouched.
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, TestServer.NewPassword()), Is.EqualTo(HttpStatusCode.Unauthorized));
        await genuine.AssertUsableAsync();
        Assert.That(genuine.State, Is.EqualTo(WebSocketState.Open));
    }

    [Test]
    public async Task Every_refused_handshake_looks_the_same()
    {
        string withPassword = await RegisterWithPasswordAsync();
        string rejected = await RegisterWithPasswordAsync();
        (await _server.PostAsync($"/api/chargepoints/{rejected}/reject")).AssertStatus(HttpStatusCode.NoContent);

        var answers = new[]
        {
            await OcppTestClient.HandshakeAsync(_server.WebSocketUri(TestIds.Next("NOSUCH"))),
            await OcppTestClient.HandshakeAsync(_server.WebSocketUri(TestIds.Next("NOSUCH")), "x", Password),
            await OcppTestClient.HandshakeAsync(_server.WebSocketUri(withPassword)),
            await OcppTestClient.HandshakeAsync(_server.WebSocketUri(withPassword), withPassword, TestServer.NewPassword()),
            await OcppTestClient.HandshakeAsync(_server.WebSocketUri(rejected), rejected, Password),
        };

        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.Unauthorized), "unknown, no password, wrong password, rejected");
        Assert.That(answers.Select(a => a.Header("WWW-Authenticate")).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_new_password_closes_the_live_socket_and_only_the_new_one_connects()
    {
        string id = await RegisterWithPasswordAsync();
        await using var client = await _server.ConnectAsync(id, user: id, password: Password);
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        string newPassword = TestServer.NewPassword();

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password = newPassword })).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, newPassword), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task Removing_the_password_closes_the_live_socket_and_refuses_every_handshake()
    {
        string id = await RegisterWithPasswordAsync();
        await using var client = await _server.ConnectAsync(id, user: id, password: Password);

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password = (string?)null })).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id)), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.Unauthorized));
        var view = await _server.GetChargePointAsync(id);
        Assert.That(view.GetProperty("requiresPassword").GetBoolean(), Is.False);
        Assert.That(view.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()), Does.Contain("noCredentials"));
    }

    [Test]
    public async Task Rejecting_a_charge_point_closes_its_live_socket_and_refuses_its_handshake()
    {
        string id = await RegisterWithPasswordAsync();
        await using var client = await _server.ConnectAsync(id, user: id, password: Password);
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));

        (await _server.PostAsync($"/api/chargepoints/{id}/reject")).AssertStatus(HttpStatusCode.NoContent);

        Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.Unauthorized));

        (await _server.PostAsync($"/api/chargepoints/{id}/approve")).AssertStatus(HttpStatusCode.NoContent);
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    [Test]
    public async Task Password_is_stored_hashed()
    {
        string id = await RegisterWithPasswordAsync();

        var rows = await _server.QueryDatabaseAsync("SELECT password_hash FROM charge_points WHERE id = @id", ("@id", id));

        Assert.That(rows, Has.Count.EqualTo(1));
        string? hash = rows[0]["password_hash"] as string;
        Assert.That(hash, Does.StartWith("sha256$"), "an AuthorizationKey of 128 bits or more needs no slow hash");
        Assert.That(hash, Does.Not.Contain(Password).And.Not.Contain(Password.ToLowerInvariant()));
        Assert.That(hash, Does.Not.Contain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Password))));
    }

    [Test]
    public async Task Api_never_returns_the_password_or_its_hash()
    {
        string id = await RegisterWithPasswordAsync();

        var response = await _server.GetAsync($"/api/chargepoints/{id}");

        Assert.That(response.Text, Does.Not.Contain(Password).And.Not.Contain("sha256$").And.Not.Contain("pbkdf2"));
    }

    [TestCase("short", TestName = "A short password is refused")]
    [TestCase("Correct-Horse-42", TestName = "A human password is refused without Ocpp:AllowLegacyPasswords")]
    [TestCase("0123456789abcdef0123456789abcde", TestName = "31 hex characters are refused")]
    [TestCase("0123456789abcdef0123456789abcdef012", TestName = "An odd number of hex characters is refused")]
    [TestCase("0123456789abcdef0123456789abcdef01234567ab", TestName = "42 hex characters are refused")]
    [TestCase("0123456789abcdef0123456789abcdeg", TestName = "A non-hex character is refused")]
    public async Task Password_that_is_not_an_AuthorizationKey_is_refused(string password)
    {
        string id = await RegisterWithPasswordAsync();

        (await _server.PutAsync($"/api/chargepoints/{id}/password", new { password })).AssertProblem(HttpStatusCode.BadRequest);
        (await _server.PostAsync("/api/chargepoints", new { id = TestIds.Next("PW"), password })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, Password), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "password unchanged");
    }

    [Test]
    public async Task Legacy_passwords_only_behind_the_explicit_option()
    {
        await using var legacy = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:AllowLegacyPasswords"] = "true" });
        string id = TestIds.Next("LEGACY");

        (await legacy.PostAsync("/api/chargepoints", new { id, password = "Correct-Horse-42" })).AssertStatus(HttpStatusCode.Created);

        Assert.That(await OcppTestClient.HandshakeStatusAsync(legacy.WebSocketUri(id), id, "Correct-Horse-42"), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        var rows = await legacy.QueryDatabaseAsync("SELECT password_hash FROM charge_points WHERE id = @id", ("@id", id));
        Assert.That(rows[0]["password_hash"] as string, Does.StartWith("pbkdf2-sha256$"), "a password a person may have chosen gets the slow hash");
    }

    [Test]
    public async Task Setting_the_password_of_an_unknown_charge_point_is_404()
    {
        (await _server.PutAsync($"/api/chargepoints/{TestIds.Next("NOSUCH")}/password", new { password = Password })).AssertProblem(HttpStatusCode.NotFound);
    }
}
