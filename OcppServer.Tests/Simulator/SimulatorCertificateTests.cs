using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>
/// The rest of the OCPP 1.6 security whitepaper end to end, the simulator's charger against the real server over real
/// TLS: certificate renewal (OCA TC_074), installing and deleting CA certificates (TC_075, TC_076), a CertificateSigned
/// and an InstallCertificate the charger refuses with their security events (TC_077, TC_078), the security log (TC_079)
/// and secure firmware updates with a good and a bad signature (TC_080, TC_081).
/// </summary>
public sealed class SimulatorCertificateTests
{
    private TestServer _server = null!;
    private string _files = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartWithTlsAsync();
        _files = Path.Combine(_server.DataDirectory, "firmware");
        Directory.CreateDirectory(_files);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private sealed class Running(ChargePoint chargePoint) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public ChargePoint ChargePoint { get; } = chargePoint;

        public ConcurrentQueue<ChargePointEvent> Events { get; } = new();

        public Running Start()
        {
            ChargePoint.EventRaised += e =>
            {
                Events.Enqueue(e);
                TestContext.Progress.WriteLine(e.ToString());
            };
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

    /// <summary>A profile-3 charger with a certificate of the charge point CA, on line.</summary>
    private Task<(string Id, Running Charger)> StartProfile3Async(Action<ChargePointOptions>? configure = null) => StartProfile3Async(_server, configure);

    private static async Task<(string Id, Running Charger)> StartProfile3Async(TestServer server, Action<ChargePointOptions>? configure = null)
    {
        string id = TestIds.Next("SIMC");
        await server.RegisterChargePointAsync(id, securityProfile: 3);
        var options = new ChargePointOptions
        {
            Id = id,
            CentralSystem = new Uri($"wss://{server.SecureBaseUri.Authority}/ocpp"),
            Connectors = 1,
            CallTimeout = TimeSpan.FromSeconds(5),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
            RebootDuration = TimeSpan.FromMilliseconds(100),
            ResetDelay = TimeSpan.FromMilliseconds(50),
            FirmwareStepDuration = TimeSpan.FromMilliseconds(50),
            TrustedServerRoots = [server.Pki!.ServerRoot],
            ClientCertificate = TlsCredentials.Issue(id, server.Pki.ChargePointCa, "OcppAuth Tests"),
            CpoName = "OcppAuth Tests",
        };
        configure?.Invoke(options);
        var charger = new Running(new ChargePoint(options, TimeProvider.System, NullLogger<ChargePoint>.Instance)).Start();
        await Eventually.TrueAsync(() => charger.ChargePoint.IsOnline, "on line");
        return (id, charger);
    }

    private async Task<JsonElement> CommandAsync(string id, string action, object payload) =>
        (await _server.SendCommandAsync(id, action, JsonSerializer.Serialize(payload))).AssertStatus(HttpStatusCode.OK);

    private async Task<JsonElement> ChargerEventAsync(string id, string type) =>
        await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray()
                .FirstOrDefault(e => e.GetProperty("source").GetString() == "ChargePoint" && e.GetProperty("type").GetString() == type),
            e => e.ValueKind == JsonValueKind.Object, $"{id} reports {type}");

    private async Task<IReadOnlyList<string>> StatusesAsync(string id, string view, string last) =>
        (await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => await _server.GetJsonAsync($"/api/chargepoints/{id}/{view}"),
            v => v.GetProperty("latest").ValueKind == JsonValueKind.Object && v.GetProperty("latest").GetProperty("status").GetString() == last,
            $"{view} reaches {last}"))
        .GetProperty("history").EnumerateArray().Select(r => r.GetProperty("status").GetString()!).Reverse().ToList();

    [Test(Description = "TC_074_CSMS")]
    public async Task TC_074_CSMS_the_simulator_renews_its_certificate_and_reconnects_with_it()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;
        string oldSerial = charger.ChargePoint.ClientCertificate!.SerialNumber;

        var answer = await CommandAsync(id, "ExtendedTriggerMessage", new { requestedMessage = "SignChargePointCertificate" });

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var request = await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).EnumerateArray().FirstOrDefault(),
            r => r.ValueKind == JsonValueKind.Object && r.GetProperty("status").GetString() == "Installed", "the charger installs its new certificate");
        string newSerial = request.GetProperty("certificateSerialNumber").GetString()!;
        Assert.That(newSerial, Is.Not.EqualTo(oldSerial));
        Assert.That(charger.ChargePoint.ClientCertificate!.SerialNumber, Is.EqualTo(newSerial));
        Assert.That(charger.ChargePoint.ClientCertificate.Subject, Does.Contain("O=OcppAuth Tests").And.Contain($"CN={id}"));
        await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(id)).GetProperty("connectionSecurity"),
            s => s.ValueKind == JsonValueKind.Object && s.GetProperty("clientCertificateSerialNumber").GetString() == newSerial,
            "reconnected with the new certificate");
    }

    [Test(Description = "TC_074_CSMS")]
    public async Task A_renewed_certificate_is_written_to_the_chargers_files()
    {
        string certificatePath = Path.Combine(_files, $"{Guid.NewGuid():N}.pem");
        string keyPath = Path.Combine(_files, $"{Guid.NewGuid():N}.key");
        var (id, charger) = await StartProfile3Async(o =>
        {
            File.WriteAllText(certificatePath, o.ClientCertificate!.ExportCertificatePem());
            File.WriteAllText(keyPath, o.ClientCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            o.ClientCertificatePath = certificatePath;
            o.ClientKeyPath = keyPath;
        });
        await using var _ = charger;

        string original = charger.ChargePoint.ClientCertificate!.SerialNumber;

        Assert.That(await charger.ChargePoint.RequestCertificateAsync(CancellationToken.None), Is.EqualTo(AcceptedOrRejected.Accepted));

        await Eventually.TrueAsync(() => charger.ChargePoint.ClientCertificate!.SerialNumber != original, "the new certificate is installed");
        await Eventually.TrueAsync(() =>
        {
            try
            {
                using var saved = TlsCredentials.LoadCertificate(certificatePath, keyPath);
                return saved.HasPrivateKey && saved.SerialNumber == charger.ChargePoint.ClientCertificate!.SerialNumber;
            }
            catch (CryptographicException)
            {
                return false; // being written
            }
        }, "the files hold the new certificate and its key");
    }

    [Test(Description = "TC_077_CSMS")]
    public async Task TC_077_CSMS_the_simulator_rejects_a_certificate_it_cannot_verify_and_reports_it()
    {
        // A server that leaves signing to the operator: the certificate sent is the test's.
        await using var server = await TestServer.StartWithTlsAsync(new Dictionary<string, string?> { ["Security:ChargePointCaKey"] = "" });
        var (id, charger) = await StartProfile3Async(server);
        await using var _ = charger;
        string serial = charger.ChargePoint.ClientCertificate!.SerialNumber;
        Assert.That(await charger.ChargePoint.RequestCertificateAsync(CancellationToken.None), Is.EqualTo(AcceptedOrRejected.Accepted));
        var pending = (await server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).EnumerateArray().Single();
        string csr = (await server.GetJsonAsync($"/api/certificates/signing-requests/{pending.GetProperty("id").GetInt64()}")).GetProperty("csr").GetString()!;

        // Signed for the charger's key, but by a CA the charger does not trust.
        using var other = TestPki.CreateOtherCa();
        var request = CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var forged = request.Create(other, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), [0x42, 0x01, 0x02]);
        var answer = (await server.SendCommandAsync(id, "CertificateSigned",
            JsonSerializer.Serialize(new { certificateChain = forged.ExportCertificatePem() + "\n" + other.ExportCertificatePem() }))).AssertStatus(HttpStatusCode.OK);

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        var reported = await OcppServer.Tests.Infrastructure.Eventually.UntilAsync(
            async () => (await server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray()
                .FirstOrDefault(e => e.GetProperty("source").GetString() == "ChargePoint" && e.GetProperty("type").GetString() == "InvalidChargePointCertificate"),
            e => e.ValueKind == JsonValueKind.Object, "the charger reports InvalidChargePointCertificate");
        Assert.That(reported.GetProperty("techInfo").GetString(), Does.Contain("does not chain to a trusted CA"));
        Assert.That(charger.ChargePoint.ClientCertificate!.SerialNumber, Is.EqualTo(serial), "it keeps its certificate");
    }

    [Test(Description = "TC_075_1_CSMS, TC_075_2_CSMS, TC_076_CSMS")]
    public async Task TC_075_TC_076_CSMS_CA_certificates_are_installed_listed_by_their_hash_data_and_deleted()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;
        using var manufacturer = TestPki.CreateOtherCa();
        using var secondRoot = TestPki.CreateOtherCa();

        // TC_075_1: a manufacturer root.
        Assert.That((await CommandAsync(id, "InstallCertificate", new { certificateType = "ManufacturerRootCertificate", certificate = manufacturer.ExportCertificatePem() }))
            .GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var listed = await CommandAsync(id, "GetInstalledCertificateIds", new { certificateType = "ManufacturerRootCertificate" });
        Assert.That(listed.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(Ids(listed), Is.EqualTo(new[] { HashData(manufacturer) }), "the test's own calculation of the hash data");

        // TC_075_2: a second central system root, next to the one the charger was configured with.
        Assert.That((await CommandAsync(id, "InstallCertificate", new { certificateType = "CentralSystemRootCertificate", certificate = secondRoot.ExportCertificatePem() }))
            .GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var roots = Ids(await CommandAsync(id, "GetInstalledCertificateIds", new { certificateType = "CentralSystemRootCertificate" }));
        Assert.That(roots, Is.EquivalentTo(new[] { HashData(_server.Pki!.ServerRoot), HashData(secondRoot) }));

        // TC_076: delete it again, by the hash data the charger listed.
        var hash = JsonSerializer.Deserialize<JsonElement>(roots.Single(r => r.Contains(secondRoot.SerialNumber.TrimStart('0').ToLowerInvariant(), StringComparison.Ordinal)));
        Assert.That((await CommandAsync(id, "DeleteCertificate", new { certificateHashData = hash })).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(Ids(await CommandAsync(id, "GetInstalledCertificateIds", new { certificateType = "CentralSystemRootCertificate" })),
            Is.EqualTo(new[] { HashData(_server.Pki.ServerRoot) }));
        Assert.That((await CommandAsync(id, "DeleteCertificate", new { certificateHashData = hash })).GetProperty("status").GetString(), Is.EqualTo("NotFound"));
        Assert.That(charger.ChargePoint.IsOnline, Is.True);
    }

    private static IEnumerable<string> Ids(JsonElement answer) =>
        answer.TryGetProperty("certificateHashData", out var ids) ? ids.EnumerateArray().Select(i => i.GetRawText()) : [];

    /// <summary>The whitepaper's CertificateHashDataType of a self-signed CA, computed here independently of the simulator.</summary>
    private static string HashData(X509Certificate2 certificate) => JsonSerializer.Serialize(new
    {
        hashAlgorithm = "SHA256",
        issuerNameHash = Convert.ToHexStringLower(SHA256.HashData(certificate.IssuerName.RawData)),
        issuerKeyHash = Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.EncodedKeyValue.RawData)),
        serialNumber = certificate.SerialNumber.TrimStart('0').ToLowerInvariant(),
    });

    [Test(Description = "TC_078_CSMS")]
    public async Task TC_078_CSMS_the_simulator_rejects_a_central_system_root_that_is_no_CA_and_reports_it()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;
        var notACa = _server.Pki!.IssueClientCertificate("not-a-ca");

        var answer = await CommandAsync(id, "InstallCertificate", new { certificateType = "CentralSystemRootCertificate", certificate = notACa.ExportCertificatePem() });

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        await ChargerEventAsync(id, "InvalidCentralSystemCertificate");
    }

    [Test(Description = "TC_079_CSMS")]
    public async Task TC_079_CSMS_the_simulator_uploads_its_security_log()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;

        var answer = await CommandAsync(id, "GetLog", new { logType = "SecurityLog", requestId = 17, log = new { remoteLocation = "https://logs.example.com/upload" } });

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(answer.GetProperty("filename").GetString(), Does.StartWith("security-"));
        Assert.That(await StatusesAsync(id, "log-status", "Uploaded"), Is.EqualTo(new[] { "Uploading", "Uploaded" }));
        var view = await _server.GetJsonAsync($"/api/chargepoints/{id}/log-status");
        Assert.That(view.GetProperty("history").EnumerateArray().Select(r => r.GetProperty("requestId").GetInt32()), Is.All.EqualTo(17));
    }

    /// <summary>A firmware file and a signing certificate (EC P-256) with its signature over the file, or over other bytes.</summary>
    private (string Location, string Certificate, string Signature) SignedFirmware(bool goodSignature, DateTimeOffset? notAfter = null)
    {
        byte[] image = RandomNumberGenerator.GetBytes(4096);
        string path = Path.Combine(_files, $"simcharger-2.{Random.Shared.Next(100)}.0.bin");
        File.WriteAllBytes(path, image);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = new CertificateRequest("CN=Firmware Signing, O=OcppAuth Tests", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(now.AddDays(-2), notAfter ?? now.AddDays(30));
        byte[] signature = key.SignData(goodSignature ? image : [.. image, 0], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return (new Uri(path).AbsoluteUri, certificate.ExportCertificatePem(), Convert.ToBase64String(signature));
    }

    private static object SignedUpdate(int requestId, (string Location, string Certificate, string Signature) firmware) => new
    {
        requestId,
        firmware = new
        {
            location = firmware.Location, retrieveDateTime = DateTimeOffset.UtcNow.AddSeconds(-1), signingCertificate = firmware.Certificate,
            signature = firmware.Signature,
        },
    };

    [Test(Description = "TC_080_CSMS")]
    public async Task TC_080_CSMS_the_simulator_verifies_a_signed_firmware_and_installs_it()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;
        int boots = charger.ChargePoint.AcceptedBoots;

        var answer = await CommandAsync(id, "SignedUpdateFirmware", SignedUpdate(80, SignedFirmware(goodSignature: true)));

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(await StatusesAsync(id, "firmware-status", "Installed"),
            Is.EqualTo(new[] { "Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed" }));
        Assert.That(charger.ChargePoint.AcceptedBoots, Is.GreaterThan(boots), "it rebooted into the new firmware");
        Assert.That(charger.ChargePoint.FirmwareVersion, Does.StartWith("2."));
    }

    [Test(Description = "TC_081_CSMS")]
    public async Task TC_081_CSMS_the_simulator_refuses_a_firmware_whose_signature_does_not_verify()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;
        string version = charger.ChargePoint.FirmwareVersion;

        var answer = await CommandAsync(id, "SignedUpdateFirmware", SignedUpdate(81, SignedFirmware(goodSignature: false)));

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(await StatusesAsync(id, "firmware-status", "InvalidSignature"), Is.EqualTo(new[] { "Downloading", "Downloaded", "InvalidSignature" }));
        await ChargerEventAsync(id, "InvalidFirmwareSignature");
        Assert.That(charger.ChargePoint.FirmwareVersion, Is.EqualTo(version), "nothing installed");
    }

    [Test]
    public async Task The_simulator_answers_InvalidCertificate_for_an_expired_signing_certificate()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;

        var answer = await CommandAsync(id, "SignedUpdateFirmware", SignedUpdate(82, SignedFirmware(goodSignature: true, notAfter: DateTimeOffset.UtcNow.AddDays(-1))));

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("InvalidCertificate"));
        await ChargerEventAsync(id, "InvalidFirmwareSigningCertificate");
    }

    [Test]
    public async Task ExtendedTriggerMessage_of_the_other_messages_is_answered_and_sent()
    {
        var (id, charger) = await StartProfile3Async();
        await using var _ = charger;

        foreach (string message in new[] { "BootNotification", "Heartbeat", "StatusNotification", "MeterValues", "FirmwareStatusNotification", "LogStatusNotification" })
        {
            Assert.That((await CommandAsync(id, "ExtendedTriggerMessage", new { requestedMessage = message })).GetProperty("status").GetString(),
                Is.EqualTo("Accepted"), message);
        }

        Assert.That(await StatusesAsync(id, "log-status", "Idle"), Is.EqualTo(new[] { "Idle" }));
        Assert.That(await StatusesAsync(id, "firmware-status", "Idle"), Is.EqualTo(new[] { "Idle" }));
        Assert.That((await CommandAsync(id, "ExtendedTriggerMessage", new { requestedMessage = "StatusNotification", connectorId = 9 })).GetProperty("status").GetString(),
            Is.EqualTo("Rejected"));
    }
}
