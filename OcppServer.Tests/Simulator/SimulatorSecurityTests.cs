using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Cli;
using ChargePointSimulator.Ocpp;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>
/// The simulator's charger over wss:// with security profiles 2 and 3 against the real server: it trusts the server's
/// root (<c>--ca</c>), presents its client certificate, reports security events, takes a new AuthorizationKey (TC_073)
/// and a raised security profile (TC_083) as the whitepaper has it; and the demo journey runs at profile 3.
/// </summary>
public sealed class SimulatorSecurityTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private Uri SecureBase => new($"wss://{_server.SecureBaseUri.Authority}/ocpp");

    private X509Certificate2Collection Roots => [_server.Pki!.ServerRoot];

    private sealed class Running(ChargePoint chargePoint) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public ChargePoint ChargePoint { get; } = chargePoint;

        public ConcurrentQueue<ChargePointEvent> Events { get; } = new();

        public Running Start()
        {
            ChargePoint.EventRaised += Events.Enqueue;
            _running = ChargePoint.RunAsync(_stop.Token);
            return this;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
        }
    }

    private Running Start(string id, Uri centralSystem, Action<ChargePointOptions> configure)
    {
        var options = new ChargePointOptions
        {
            Id = id,
            CentralSystem = centralSystem,
            Connectors = 1,
            CallTimeout = TimeSpan.FromSeconds(5),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
            RebootDuration = TimeSpan.FromMilliseconds(100),
            ResetDelay = TimeSpan.FromMilliseconds(50),
            TrustedServerRoots = Roots,
        };
        configure(options);
        return new Running(new ChargePoint(options, TimeProvider.System, NullLogger<ChargePoint>.Instance)).Start();
    }

    private async Task<System.Text.Json.JsonElement> ConnectionSecurityAsync(string id, int profile) =>
        await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(id)).GetProperty("connectionSecurity"),
            c => c.ValueKind == System.Text.Json.JsonValueKind.Object && c.GetProperty("securityProfile").GetInt32() == profile,
            $"{id} connected at security profile {profile}");

    [Test(Description = "TC_087_CSMS, TC_077_CSMS")]
    public async Task A_profile_3_charger_connects_with_its_certificate_and_reports_a_security_event()
    {
        string id = TestIds.Next("SIM3");
        await _server.RegisterChargePointAsync(id, securityProfile: 3);
        await using var charger = Start(id, SecureBase, o => o.ClientCertificate = TlsCredentials.Issue(id, _server.Pki!.ChargePointCa));

        await Eventually.TrueAsync(() => charger.ChargePoint.IsOnline, "on line");
        await ConnectionSecurityAsync(id, 3);
        await charger.ChargePoint.ReportSecurityEventAsync("InvalidChargePointCertificate", "a CertificateSigned chain did not verify", CancellationToken.None);

        var listed = (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray().ToList();
        Assert.That(listed.Select(e => (e.GetProperty("source").GetString(), e.GetProperty("type").GetString())),
            Does.Contain(("ChargePoint", "InvalidChargePointCertificate")));
    }

    [Test(Description = "TC_085_CSMS, TC_086_CSMS")]
    public async Task A_profile_2_charger_connects_over_wss_with_its_key()
    {
        string id = TestIds.Next("SIM2");
        await _server.RegisterChargePointAsync(id, securityProfile: 2);
        await using var charger = Start(id, SecureBase, o => o.Password = _server.PasswordOf(id));

        await Eventually.TrueAsync(() => charger.ChargePoint.IsOnline, "on line");
        var security = await ConnectionSecurityAsync(id, 2);
        Assert.That(security.GetProperty("tls").GetString(), Does.StartWith("Tls1"));
    }

    [Test(Description = "TC_073_CSMS")]
    public async Task TC_073_CSMS_the_simulator_takes_a_new_AuthorizationKey_and_reconnects_with_it()
    {
        string id = TestIds.Next("SIMK");
        await _server.RegisterChargePointAsync(id);
        string oldKey = _server.PasswordOf(id);
        await using var charger = Start(id, new Uri($"ws://{_server.BaseUri.Authority}/ocpp"), o => o.Password = oldKey);
        await Eventually.TrueAsync(() => charger.ChargePoint.IsOnline, "on line");
        int boots = charger.ChargePoint.AcceptedBoots;

        var rotated = (await _server.PostAsync($"/api/chargepoints/{id}/authorization-key")).AssertStatus(HttpStatusCode.OK);

        Assert.That(rotated.GetProperty("result").GetString(), Is.EqualTo("Rotated"));
        await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(async () => (await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean() && charger.ChargePoint.IsOnline,
            c => c, "reconnected with the new key");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(charger.ChargePoint.AuthorizationKey, Is.Not.EqualTo(oldKey));
            Assert.That(charger.Events.Select(e => e.Description), Has.None.Contains(charger.ChargePoint.AuthorizationKey!), "the new key is not printed");
            Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, oldKey), Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray()
                .Any(e => e.GetProperty("source").GetString() == "ChargePoint" && e.GetProperty("type").GetString() == "ReconfigurationOfSecurityParameters"),
            r => r, "the charger reports the change");
        Assert.That(boots, Is.Positive);
    }

    [Test(Description = "TC_083_CSMS")]
    public async Task TC_083_CSMS_the_simulator_is_raised_from_profile_1_to_3_and_reconnects_with_its_certificate()
    {
        string id = TestIds.Next("SIMU");
        await _server.RegisterChargePointAsync(id, securityProfile: 2);
        await using var charger = Start(id, SecureBase, o =>
        {
            o.Password = _server.PasswordOf(id);
            o.ClientCertificate = TlsCredentials.Issue(id, _server.Pki!.ChargePointCa);
            o.SecurityProfile = 2;
        });
        await ConnectionSecurityAsync(id, 2);

        var raised = (await _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile = 3 })).AssertStatus(HttpStatusCode.OK);

        Assert.That(raised.GetProperty("result").GetString(), Is.EqualTo("Raised"));
        await ConnectionSecurityAsync(id, 3);
        Assert.That(charger.ChargePoint.SecurityProfile, Is.EqualTo(3));
    }

    [Test]
    public async Task The_simulator_refuses_a_profile_it_has_no_credentials_for_and_a_lower_one()
    {
        string id = TestIds.Next("SIMR");
        await _server.RegisterChargePointAsync(id);
        await using var charger = Start(id, new Uri($"ws://{_server.BaseUri.Authority}/ocpp"), o => o.Password = _server.PasswordOf(id));
        await Eventually.TrueAsync(() => charger.ChargePoint.IsOnline, "on line");

        var refused = (await _server.PostAsync($"/api/chargepoints/{id}/security-profile", new { profile = 3 })).AssertStatus(HttpStatusCode.OK);
        Assert.That((refused.GetProperty("result").GetString(), refused.GetProperty("chargerStatus").GetString()), Is.EqualTo(("Refused", "Rejected")),
            "no client certificate, no wss:// endpoint");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_demo_journey_runs_at_security_profile_3(CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        string[] args =
        [
            "demo", "--url", _server.SecureBaseUri.ToString(), "--api-key", TestServer.ApiKey, "--security-profile", "3",
            "--ca", _server.PkiFiles!.ServerRoot, "--charge-point-ca", _server.PkiFiles.ChargePointCa, "--charge-point-ca-key", _server.PkiFiles.ChargePointCaKey,
        ];

        int exitCode = await SimulatorCommandLine.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output }, cancellationToken);

        await TestContext.Out.WriteLineAsync(output.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, "every step of the journey had the expected outcome");
            Assert.That(output.ToString(), Does.Match(@"PASS\s+admitted at security profile 3: the server admitted the connection at profile 3, Tls1"));
            Assert.That(output.ToString(), Does.Match(@"PASS\s+SecurityEventNotification"));
        }
    }

    [Test]
    public async Task The_demo_at_profile_3_without_a_CA_says_what_it_needs()
    {
        var output = new StringWriter();
        int exitCode = await SimulatorCommandLine.Create()
            .Parse(["demo", "--url", _server.SecureBaseUri.ToString(), "--api-key", TestServer.ApiKey, "--security-profile", "3"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.Contain("--charge-point-ca"));
    }
}
