using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// The TLS endpoint (security profiles 2 and 3 ride on it): a server certificate configured the ASP.NET Core way, TLS 1.2
/// or 1.3 only, the security whitepaper's cipher suites; the API on HTTPS too. Plain http only on loopback unless
/// explicitly allowed: otherwise the server refuses to start and says why.
/// </summary>
public sealed class TlsTransportTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private async Task<SslStream> HandshakeAsync(SslClientAuthenticationOptions options)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.SecureBaseUri.Port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        options.TargetHost = "localhost";
        options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => _server.Pki!.ValidateServerCertificate(certificate, errors);
        using var timeout = new CancellationTokenSource(OcppTestClient.DefaultTimeout);
        await ssl.AuthenticateAsClientAsync(options, timeout.Token);
        return ssl;
    }

    [Test(Description = "TC_086_CSMS")]
    public async Task TC_086_CSMS_a_charge_point_connects_over_wss_with_the_servers_certificate()
    {
        string id = TestIds.Next("TLS");
        await _server.RegisterChargePointAsync(id);

        await using var client = await OcppTestClient.ConnectAsync(
            _server.SecureWebSocketUri(id), user: id, password: _server.PasswordOf(id), configure: _server.Tls());

        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
    }

    [Test(Description = "TC_086_CSMS")]
    [Platform(Exclude = "Win", Reason = "Cipher suites are chosen by the OS policy on Windows")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TC_086_CSMS_TLS_1_2_with_a_whitepaper_cipher_suite_is_served()
    {
        await using var ssl = await HandshakeAsync(new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]),
        });

        Assert.That((ssl.SslProtocol, ssl.NegotiatedCipherSuite), Is.EqualTo((SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Cipher suites are chosen by the OS policy on Windows")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_TLS_1_2_client_offering_only_suites_outside_the_whitepaper_is_refused_and_the_refusal_recorded()
    {
        int before = (await _server.GetJsonAsync("/api/security-events?limit=1000")).EnumerateArray()
            .Count(e => e.GetProperty("type").GetString() == "InvalidTlsHandshake");

        Assert.That(async () => await HandshakeAsync(new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12,
                CipherSuitesPolicy = new CipherSuitesPolicy(
                    [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256]),
            }),
            Throws.InstanceOf<AuthenticationException>().Or.InstanceOf<IOException>());

        // Not silent: a warning with the client's address and a security event.
        var refusals = await Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync("/api/security-events?limit=1000")).EnumerateArray()
                .Where(e => e.GetProperty("type").GetString() == "InvalidTlsHandshake").ToList(),
            r => r.Count > before, "the refused TLS handshake is recorded");
        Assert.That(refusals[0].GetProperty("remoteAddress").GetString(), Is.EqualTo("127.0.0.1"));
        Assert.That(refusals[0].GetProperty("techInfo").GetString(), Does.StartWith("TLS handshake refused: "));
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Cipher suites are chosen by the OS policy on Windows")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_connection_closed_before_any_TLS_is_not_an_event()
    {
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync(IPAddress.Loopback, _server.SecureBaseUri.Port);
        }

        // Then a refused handshake: once it is recorded, the probe before it would have been too.
        await A_TLS_1_2_client_offering_only_suites_outside_the_whitepaper_is_refused_and_the_refusal_recorded();
        var refusals = (await _server.GetJsonAsync("/api/security-events?limit=1000")).EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "InvalidTlsHandshake").ToList();
        Assert.That(refusals.Select(r => r.GetProperty("techInfo").GetString()), Has.None.Contains("EOF"));
    }

    [Test]
    public async Task A_default_client_gets_TLS_1_2_or_better()
    {
        await using var ssl = await HandshakeAsync(new SslClientAuthenticationOptions());
        Assert.That(ssl.SslProtocol, Is.EqualTo(SslProtocols.Tls12).Or.EqualTo(SslProtocols.Tls13));
    }

    [Test]
    public async Task The_API_is_served_over_https()
    {
        using var api = _server.CreateSecureApiClient();
        using var response = await api.GetAsync("/api/chargepoints");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static Task<WebApplication> BuildAsync(Dictionary<string, string?> settings) => Task.Run(() => OcppServerApp.Build([], builder =>
    {
        settings.TryAdd("Storage:DataDirectory", Path.Combine(Path.GetTempPath(), "ocppauth-tests", Guid.NewGuid().ToString("N")));
        builder.Configuration.AddInMemoryCollection(settings);
    }));

    [TestCase("Urls", "http://0.0.0.0:8180")]
    [TestCase("Urls", "http://127.0.0.1:8180;http://*:8181")]
    [TestCase("Urls", "http://[::]:8180")]
    [TestCase("Urls", "http://ocpp.example.com:8180")]
    [TestCase("Kestrel:Endpoints:Plain:Url", "http://0.0.0.0:8180")]
    public async Task The_server_refuses_to_start_with_a_plain_endpoint_beyond_loopback(string key, string url)
    {
        var refused = await Assert.ThrowsAsync<InsecureEndpointException>(async () => await BuildAsync(new() { [key] = url }));
        Assert.That(refused!.Message, Does.StartWith("Refusing to start: plain http endpoint").And.Contain("Ocpp__AllowInsecureTransport").And.Contain("https"));
    }

    [TestCase("Urls", "http://127.0.0.1:8180", null)]
    [TestCase("Urls", "http://localhost:8180;http://[::1]:8181", null)]
    [TestCase("Urls", "https://0.0.0.0:8443;http://127.0.0.1:8180", null)]
    [TestCase("Kestrel:Endpoints:Tls:Url", "https://0.0.0.0:8443", null)]
    [TestCase("Urls", "http://0.0.0.0:8180", "true")]
    public async Task Loopback_plain_endpoints_TLS_endpoints_and_an_explicit_opt_in_are_allowed(string key, string url, string? allowInsecure)
    {
        await using var app = await BuildAsync(new() { [key] = url, ["Ocpp:AllowInsecureTransport"] = allowInsecure });
        Assert.That(app, Is.Not.Null);
    }
}
