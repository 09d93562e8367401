using ChargePointSimulator.Load;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>
/// <c>load</c> at security profiles 2 (wss:// + Basic) and 3 (wss:// + a client certificate per charger, issued from the
/// charge point CA), against the real server's TLS endpoint: every charger registered with the profile, connected at it.
/// </summary>
public sealed class LoadSecurityProfileTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase(2)]
    [TestCase(3)]
    public async Task Every_charger_connects_at_the_profile(int profile)
    {
        string prefix = $"LTLS{profile}-";
        var options = new LoadOptions
        {
            Url = new Uri($"wss://{_server.SecureBaseUri.Authority}/ocpp"),
            Count = 50,
            Duration = TimeSpan.FromSeconds(1),
            Rate = 50,
            Mix = MessageMix.Parse("Heartbeat=1"),
            ApiKey = TestServer.ApiKey,
            Progress = false,
            IdPrefix = prefix,
            SecurityProfile = profile,
            CaFile = _server.PkiFiles!.ServerRoot,
            ClientCaFile = profile == 3 ? _server.PkiFiles.ChargePointCa : null,
            ClientCaKeyFile = profile == 3 ? _server.PkiFiles.ChargePointCaKey : null,
        };

        var report = await new LoadRunner(options, TimeProvider.System, NullLoggerFactory.Instance, null).RunAsync(CancellationToken.None);

        TestContext.Progress.WriteLine(report.ToTable());
        Assert.Multiple(() =>
        {
            Assert.That(report.Connected, Is.EqualTo(50), string.Join("; ", report.FailureReasons.Select(r => $"{r.Key} x{r.Value}")));
            Assert.That(report.ConnectFailures, Is.Zero);
            Assert.That(report.Errors, Is.Zero);
        });
        var view = await _server.GetChargePointAsync($"{prefix}00050");
        Assert.That(view.GetProperty("securityProfile").GetInt32(), Is.EqualTo(profile), "registered with the profile");
    }

    [Test]
    public void Profile_3_without_the_client_CA_or_2_over_ws_is_refused()
    {
        var secure = new LoadOptions { Url = new Uri("wss://127.0.0.1:1/ocpp"), ApiKey = "k", SecurityProfile = 3 };
        Assert.That(secure.Validate, Throws.ArgumentException.With.Message.Contains("--client-ca"));
        var plain = new LoadOptions { Url = new Uri("ws://127.0.0.1:1/ocpp"), ApiKey = "k", SecurityProfile = 2 };
        Assert.That(plain.Validate, Throws.ArgumentException.With.Message.Contains("wss://"));
    }
}
