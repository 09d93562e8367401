using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Security profiles 2 (TLS + HTTP Basic) and 3 (TLS with client certificates) of the OCPP 1.6 security whitepaper, over
/// real TLS on loopback with certificates made in the test: each charge point must offer at least its profile, a weaker
/// offer is refused at the handshake (401) and recorded as a security event, and a certificate must chain to the
/// charge point CA, be valid now, not be revoked (CRL or API) and name the charge point.
/// </summary>
public sealed class SecurityProfileTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private TestPki Pki => _server.Pki!;

    private async Task<string> RegisterAsync(int profile)
    {
        string id = TestIds.Next($"SP{profile}");
        await _server.RegisterChargePointAsync(id, securityProfile: profile);
        return id;
    }

    private Task<HttpStatusCode> SecureHandshakeAsync(string id, string? password = null, X509Certificate2? certificate = null) =>
        OcppTestClient.HandshakeStatusAsync(_server.SecureWebSocketUri(id), password is null ? null : id, password, configure: _server.Tls(certificate));

    private async Task<JsonElement> ServerEventAsync(string chargePointId, string type) =>
        await Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/security-events?chargePointId={Uri.EscapeDataString(chargePointId)}")).EnumerateArray()
                .FirstOrDefault(e => e.GetProperty("type").GetString() == type),
            e => e.ValueKind == JsonValueKind.Object,
            $"the server records {type} for {chargePointId}");

    // ----- Profile 2: TLS with the server's certificate + HTTP Basic -----

    [Test(Description = "TC_085_CSMS, TC_086_CSMS")]
    public async Task TC_085_CSMS_TC_086_CSMS_profile_2_is_admitted_over_TLS_with_its_key()
    {
        string id = await RegisterAsync(2);

        await using var client = await OcppTestClient.ConnectAsync(
            _server.SecureWebSocketUri(id), user: id, password: _server.PasswordOf(id), configure: _server.Tls());

        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        var view = await _server.GetChargePointAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(view.GetProperty("securityProfile").GetInt32(), Is.EqualTo(2));
            Assert.That(view.GetProperty("connectionSecurity").GetProperty("securityProfile").GetInt32(), Is.EqualTo(2));
            Assert.That(view.GetProperty("connectionSecurity").GetProperty("tls").GetString(), Does.StartWith("Tls1"));
        }
    }

    [Test]
    public async Task Profile_2_with_a_wrong_key_is_refused_and_recorded()
    {
        string id = await RegisterAsync(2);

        Assert.That(await SecureHandshakeAsync(id, TestServer.NewPassword()), Is.EqualTo(HttpStatusCode.Unauthorized));

        Assert.That((await ServerEventAsync(id, "FailedToAuthenticateAtCentralSystem")).GetProperty("techInfo").GetString(), Does.Contain("wrong credentials"));
    }

    [Test]
    public async Task Profile_2_over_plain_ws_is_a_downgrade_refused_and_recorded_even_with_the_right_key()
    {
        string id = await RegisterAsync(2);

        var handshake = await OcppTestClient.HandshakeAsync(_server.WebSocketUri(id), id, _server.PasswordOf(id));

        Assert.That(handshake.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(handshake.Header("WWW-Authenticate"), Does.StartWith("Basic "), "the same answer as any refusal");
        var recorded = await ServerEventAsync(id, "SecurityProfileDowngrade");
        Assert.That(recorded.GetProperty("techInfo").GetString(), Does.Contain("plain ws://"));
    }

    [Test]
    public async Task Profile_1_is_still_admitted_over_ws_and_over_wss()
    {
        string id = await RegisterAsync(1);
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, _server.PasswordOf(id)), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        Assert.That(await SecureHandshakeAsync(id, _server.PasswordOf(id)), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    // ----- Profile 3: TLS with client certificates -----

    [Test(Description = "TC_087_CSMS")]
    public async Task TC_087_CSMS_profile_3_is_admitted_with_a_good_certificate_and_no_password()
    {
        string id = await RegisterAsync(3);
        var certificate = Pki.IssueClientCertificate(id, "OcppAuth Tests");

        await using var client = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(certificate));

        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        var security = (await _server.GetChargePointAsync(id)).GetProperty("connectionSecurity");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(security.GetProperty("securityProfile").GetInt32(), Is.EqualTo(3));
            Assert.That(security.GetProperty("clientCertificateSerialNumber").GetString(), Is.EqualTo(certificate.SerialNumber));
        }
    }

    private static IEnumerable<TestCaseData> BadCertificates()
    {
        yield return new TestCaseData("expired", "not valid now").SetName("TC_088_CSMS-like: an expired client certificate is refused");
        yield return new TestCaseData("not yet valid", "not valid now").SetName("A client certificate not valid yet is refused");
        yield return new TestCaseData("wrong CA", "not issued by the charge point CA").SetName("TC_088_CSMS-like: a client certificate of another CA is refused");
        yield return new TestCaseData("self-signed", "not issued by the charge point CA").SetName("A self-signed client certificate is refused");
        yield return new TestCaseData("wrong CN", "subject CN is not the charge point's identity").SetName("A client certificate naming another charge point is refused");
    }

    [TestCaseSource(nameof(BadCertificates))]
    public async Task A_bad_client_certificate_is_refused_with_401_and_recorded(string kind, string reason)
    {
        string id = await RegisterAsync(3);
        var now = DateTimeOffset.UtcNow;
        var certificate = kind switch
        {
            "expired" => Pki.IssueClientCertificate(id, notBefore: now.AddDays(-10), notAfter: now.AddDays(-1)),
            "not yet valid" => Pki.IssueClientCertificate(id, notBefore: now.AddDays(1), notAfter: now.AddDays(10)),
            "wrong CA" => Pki.IssueClientCertificate(id, issuer: TestPki.CreateOtherCa()),
            "self-signed" => SelfSigned(id),
            _ => Pki.IssueClientCertificate(TestIds.Next("SP3")),
        };

        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.Unauthorized));

        var recorded = await ServerEventAsync(id, "InvalidChargePointCertificate");
        Assert.That(recorded.GetProperty("techInfo").GetString(), Does.Contain(reason));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), Is.False);
    }

    private static X509Certificate2 SelfSigned(string commonName)
    {
        var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Test]
    public async Task A_certificate_listed_in_the_CRL_is_refused_once_the_CRL_file_lists_it()
    {
        string id = await RegisterAsync(3);
        var certificate = Pki.IssueClientCertificate(id);
        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "valid before");

        await File.WriteAllTextAsync(_server.PkiFiles!.Crl, Pki.BuildCrlPem(certificate));

        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await ServerEventAsync(id, "InvalidChargePointCertificate")).GetProperty("techInfo").GetString(), Does.Contain("listed in the CRL"));
        var other = Pki.IssueClientCertificate(id);
        Assert.That(await SecureHandshakeAsync(id, certificate: other), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "only that certificate");
    }

    [Test]
    public async Task A_CRL_not_signed_by_the_charge_point_CA_is_refused_and_profile_3_fails_closed_until_a_valid_one_returns()
    {
        string id = await RegisterAsync(3);
        var certificate = Pki.IssueClientCertificate(id);
        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "valid before");

        // Names the CA as its issuer and lists nobody, but is signed by another key.
        await File.WriteAllTextAsync(_server.PkiFiles!.Crl, Pki.BuildForgedCrlPem());

        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await ServerEventAsync(id, "InvalidChargePointCertificate")).GetProperty("techInfo").GetString(), Does.Contain("CRL"));

        await File.WriteAllTextAsync(_server.PkiFiles.Crl, Pki.BuildCrlPem());
        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.SwitchingProtocols), "a CRL of the CA again");
    }

    [Test]
    public async Task A_certificate_revoked_through_the_API_closes_its_live_connection_and_is_refused()
    {
        string id = await RegisterAsync(3);
        var certificate = Pki.IssueClientCertificate(id);
        await using var client = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(certificate));
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));

        string serial = string.Join(':', Convert.FromHexString(certificate.SerialNumber).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        var revoked = (await _server.PostAsync("/api/certificates/revoked", new { serialNumber = serial, issuer = Pki.ChargePointCa.Subject, reason = "stolen" }))
            .AssertStatus(HttpStatusCode.Created);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoked.GetProperty("serialNumber").GetString(), Is.EqualTo(certificate.SerialNumber));
            Assert.That(revoked.GetProperty("closedConnections").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { id }));
            Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        }

        Assert.That(await SecureHandshakeAsync(id, certificate: certificate), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await ServerEventAsync(id, "InvalidChargePointCertificate")).GetProperty("techInfo").GetString(), Does.Contain("revoked through the API"));
        var listed = (await _server.GetJsonAsync("/api/certificates/revoked")).EnumerateArray().Select(r => r.GetProperty("serialNumber").GetString());
        Assert.That(listed, Does.Contain(certificate.SerialNumber));
    }

    [Test(Description = "TC_087_CSMS")]
    public async Task Profile_3_offering_only_Basic_is_a_downgrade_refused_and_recorded()
    {
        string id = TestIds.Next("SP3");
        string password = TestServer.NewPassword();
        await _server.RegisterChargePointAsync(id, password, securityProfile: 3);

        Assert.That(await SecureHandshakeAsync(id, password), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, password), Is.EqualTo(HttpStatusCode.Unauthorized));

        var recorded = await ServerEventAsync(id, "SecurityProfileDowngrade");
        Assert.That(recorded.GetProperty("techInfo").GetString(), Does.Contain("without a client certificate"));
    }

    [Test]
    public async Task Profile_3_without_any_credentials_is_refused()
    {
        string id = await RegisterAsync(3);
        Assert.That(await SecureHandshakeAsync(id), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await ServerEventAsync(id, "FailedToAuthenticateAtCentralSystem")).GetProperty("techInfo").GetString(), Does.Contain("no client certificate"));
    }

    [Test]
    public async Task A_profile_2_charger_presenting_a_bad_certificate_is_admitted_on_its_key_and_the_certificate_recorded()
    {
        string id = await RegisterAsync(2);
        var foreign = Pki.IssueClientCertificate(id, issuer: TestPki.CreateOtherCa());

        Assert.That(await SecureHandshakeAsync(id, _server.PasswordOf(id), foreign), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
        Assert.That((await ServerEventAsync(id, "InvalidChargePointCertificate")).GetProperty("techInfo").GetString(), Does.Contain("admitted on its password"));
    }

    [Test]
    public async Task With_an_organization_configured_the_certificate_must_name_it()
    {
        await using var server = await TestServer.StartWithTlsAsync(new Dictionary<string, string?> { ["Security:ChargePointOrganization"] = "Charging Operator" });
        string id = TestIds.Next("SPO");
        await server.RegisterChargePointAsync(id, securityProfile: 3);
        Task<HttpStatusCode> HandshakeAsync(X509Certificate2 certificate) =>
            OcppTestClient.HandshakeStatusAsync(server.SecureWebSocketUri(id), configure: server.Tls(certificate));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await HandshakeAsync(server.Pki!.IssueClientCertificate(id, "Charging Operator")), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
            Assert.That(await HandshakeAsync(server.Pki!.IssueClientCertificate(id, "Someone Else")), Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await HandshakeAsync(server.Pki!.IssueClientCertificate(id)), Is.EqualTo(HttpStatusCode.Unauthorized), "no O at all");
        }
    }

    [Test]
    public async Task The_server_refuses_to_start_with_a_CA_key_that_is_not_the_CAs_or_a_CA_file_that_is_missing()
    {
        string otherKey = Path.Combine(Path.GetTempPath(), "ocppauth-tests", Guid.NewGuid().ToString("N") + ".key");
        Directory.CreateDirectory(Path.GetDirectoryName(otherKey)!);
        await File.WriteAllTextAsync(otherKey, TestPki.CreateOtherCa().GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var wrongKey = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            async () => await TestServer.StartWithTlsAsync(new Dictionary<string, string?> { ["Security:ChargePointCaKey"] = otherKey }));
        var missing = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            async () => await TestServer.StartWithTlsAsync(new Dictionary<string, string?> { ["Security:ChargePointCa"] = otherKey + ".missing" }));

        Assert.That(wrongKey!.Message, Does.Contain("ChargePointCaKey").And.Contain("is not the private key"));
        Assert.That(missing!.Message, Does.Contain("Security:"));
    }

    // ----- Registration -----

    [TestCase(0, null, false, TestName = "Profile 0 needs allowUnauthenticated")]
    [TestCase(2, null, false, TestName = "Profile 2 needs a password")]
    [TestCase(1, "0123456789ABCDEF0123456789ABCDEF", true, TestName = "allowUnauthenticated contradicts profile 1")]
    [TestCase(4, "0123456789ABCDEF0123456789ABCDEF", false, TestName = "There is no profile 4")]
    public async Task Registrations_that_contradict_their_profile_are_refused(int profile, string? password, bool allowUnauthenticated)
    {
        var response = await _server.PostAsync("/api/chargepoints",
            new { id = TestIds.Next("SPR"), password, allowUnauthenticated, securityProfile = profile, authorization = "IdTagOnly" });
        response.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Without_a_charge_point_CA_profile_3_cannot_be_registered()
    {
        await using var plain = await TestServer.StartAsync();
        var problem = (await plain.PostAsync("/api/chargepoints", new { id = TestIds.Next("SPR"), securityProfile = 3, authorization = "IdTagOnly" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Security:ChargePointCa"));
    }
}
