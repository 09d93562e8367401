using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// SignCertificate and CertificateSigned (OCPP 1.6 security whitepaper, use cases A02/A03): the server checks the
/// charger's PKCS#10 request (signature, subject CN = identity, key strength, TLS connection), answers at once, and signs
/// it with Security:ChargePointCaKey after the answer; a rejected request is a security event. Over real TLS on loopback,
/// with a test charger that plays the charge point and the test's own PKI.
/// </summary>
public sealed class CertificateSigningTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private TestPki Pki => _server.Pki!;

    /// <summary>A profile-3 charge point connected with a certificate of the charge point CA, booted.</summary>
    private async Task<(string Id, OcppTestClient Client, X509Certificate2 Certificate)> ConnectProfile3Async()
    {
        string id = TestIds.Next("CSR");
        await _server.RegisterChargePointAsync(id, securityProfile: 3);
        var certificate = Pki.IssueClientCertificate(id, "OcppAuth Tests");
        var client = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(certificate));
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        return (id, client, certificate);
    }

    internal static (string Pem, ECDsa Key) Csr(string commonName, string? organization = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        if (organization is not null)
        {
            subject.AddOrganizationName(organization);
        }

        subject.AddCommonName(commonName);
        return (new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem(), key);
    }

    private async Task<JsonElement> ServerEventAsync(string chargePointId, string type) =>
        await Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/security-events?chargePointId={Uri.EscapeDataString(chargePointId)}")).EnumerateArray()
                .FirstOrDefault(e => e.GetProperty("type").GetString() == type),
            e => e.ValueKind == JsonValueKind.Object,
            $"the server records {type} for {chargePointId}");

    [Test(Description = "TC_074_CSMS")]
    public async Task TC_074_CSMS_the_charger_renews_its_certificate_on_request_and_reconnects_with_it()
    {
        var (id, client, old) = await ConnectProfile3Async();
        await using (client)
        {
            // 1-2: ExtendedTriggerMessage SignChargePointCertificate (connectorId omitted).
            var trigger = _server.SendCommandAsync(id, "ExtendedTriggerMessage", """{"requestedMessage":"SignChargePointCertificate"}""");
            var call = await client.NextServerCallAsync();
            Assert.That(call.Action, Is.EqualTo("ExtendedTriggerMessage"));
            Assert.That(call.Payload.GetProperty("requestedMessage").GetString(), Is.EqualTo("SignChargePointCertificate"));
            Assert.That(call.Payload.TryGetProperty("connectorId", out _), Is.False);
            await client.RespondAsync(call, new { status = "Accepted" });
            Assert.That((await trigger).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"));

            // 3-4: a new key pair and SignCertificate.
            var (csr, key) = Csr(id, "OcppAuth Tests");
            var answer = await client.CallResultAsync("SignCertificate", new { csr });
            Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));

            // 5-6: CertificateSigned with the chain, after the answer.
            var signed = await client.NextServerCallAsync();
            Assert.That(signed.Action, Is.EqualTo("CertificateSigned"));
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(signed.Payload.GetProperty("certificateChain").GetString()!);
            var leaf = chain[0];
            using (Assert.EnterMultipleScope())
            {
                Assert.That(leaf.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo(id));
                Assert.That(leaf.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()), "the requested key");
                Assert.That(leaf.Issuer, Is.EqualTo(Pki.ChargePointCa.Subject));
                Assert.That(chain.Cast<X509Certificate2>().Any(c => c.Thumbprint == Pki.ChargePointCa.Thumbprint), "the chain carries the CA");
                Assert.That(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value),
                    Does.Contain("1.3.6.1.5.5.7.3.2"), "for TLS client authentication");
                Assert.That(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, Is.False);
            }

            await client.RespondAsync(signed, new { status = "Accepted" });
            var request = await Eventually.UntilAsync(
                async () => (await _server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).EnumerateArray().Single(),
                r => r.GetProperty("status").GetString() == "Installed", "the request is recorded as installed");
            Assert.That(request.GetProperty("certificateSerialNumber").GetString(), Is.EqualTo(leaf.SerialNumber));
            Assert.That(request.GetProperty("signer").GetString(), Is.EqualTo("ChargePointCa"));

            // 7-8: the charger reconnects with the new certificate and is admitted.
            await client.CloseAsync();
            var renewed = leaf.CopyWithPrivateKey(key);
            await using var reconnected = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(renewed));
            Assert.That(await reconnected.BootAsync(), Is.EqualTo("Accepted"));
            var security = await Eventually.UntilAsync(
                async () => (await _server.GetChargePointAsync(id)).GetProperty("connectionSecurity"),
                s => s.ValueKind == JsonValueKind.Object && s.GetProperty("clientCertificateSerialNumber").GetString() == leaf.SerialNumber,
                "connected with the new certificate");
            Assert.That(security.GetProperty("securityProfile").GetInt32(), Is.EqualTo(3));
            Assert.That(old.SerialNumber, Is.Not.EqualTo(leaf.SerialNumber));
        }
    }

    [Test(Description = "TC_074_CSMS")]
    public async Task A_charger_that_reconnects_with_the_new_certificate_before_its_answer_arrives_has_installed_it()
    {
        var (id, client, _) = await ConnectProfile3Async();
        var (csr, key) = Csr(id);
        await client.CallResultAsync("SignCertificate", new { csr });
        var signed = await client.NextServerCallAsync();
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(signed.Payload.GetProperty("certificateChain").GetString()!);
        await client.DisposeAsync(); // its answer is lost

        await using var reconnected = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(chain[0].CopyWithPrivateKey(key)));

        var request = await Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).EnumerateArray().Single(),
            r => r.GetProperty("status").GetString() == "Installed", "connecting with the certificate confirms it");
        Assert.That(request.GetProperty("certificateSerialNumber").GetString(), Is.EqualTo(chain[0].SerialNumber));
    }

    [Test(Description = "TC_074_CSMS (certificate refused by the charger)")]
    public async Task A_certificate_the_charger_rejects_is_recorded_as_rejected()
    {
        var (id, client, _) = await ConnectProfile3Async();
        await using (client)
        {
            Assert.That((await client.CallResultAsync("SignCertificate", new { csr = Csr(id).Pem })).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
            await client.AnswerServerCallAsync("CertificateSigned", new { status = "Rejected" });

            await Eventually.UntilAsync(
                async () => (await _server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).EnumerateArray().Single().GetProperty("status").GetString(),
                s => s == "RejectedByChargePoint", "recorded as rejected by the charge point");
        }
    }

    private static IEnumerable<TestCaseData> BadRequests()
    {
        yield return new TestCaseData("wrong CN", "subject CN is not the charge point's identity").SetName("A CSR naming another charge point is rejected");
        yield return new TestCaseData("two CNs", "subject CN is not the charge point's identity").SetName("A CSR with two CNs is rejected");
        yield return new TestCaseData("garbage", "not a PEM certificate request").SetName("A CSR that is not PEM is rejected");
        yield return new TestCaseData("certificate", "not a PEM certificate request").SetName("A certificate instead of a CSR is rejected");
        yield return new TestCaseData("tampered", "not a PEM certificate request with a valid signature").SetName("A CSR whose signature does not verify is rejected");
        yield return new TestCaseData("RSA 1024", "RSA key of 1024 bits").SetName("A CSR with a weak RSA key is rejected");
        yield return new TestCaseData("secp256k1", "EC key on curve").SetName("A CSR on a curve outside P-256/384/521 is rejected");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task A_bad_CSR_is_rejected_and_is_a_security_event(string kind, string reason)
    {
        var (id, client, _) = await ConnectProfile3Async();
        await using (client)
        {
            string csr = kind switch
            {
                "wrong CN" => Csr(TestIds.Next("OTHER")).Pem,
                "two CNs" => new CertificateRequest($"CN={id}, CN=Other", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256).CreateSigningRequestPem(),
                "garbage" => "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n",
                "certificate" => Pki.IssueClientCertificate(id).ExportCertificatePem(),
                "tampered" => Tampered(Csr(id).Pem),
                "RSA 1024" => new CertificateRequest($"CN={id}", RSA.Create(1024), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem(),
                _ => new CertificateRequest($"CN={id}", ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10")), HashAlgorithmName.SHA256).CreateSigningRequestPem(),
            };

            var answer = await client.CallResultAsync("SignCertificate", new { csr });

            Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
            var recorded = await ServerEventAsync(id, "InvalidCertificateSigningRequest");
            Assert.That(recorded.GetProperty("techInfo").GetString(), Does.Contain(reason));
            Assert.That(recorded.GetProperty("source").GetString(), Is.EqualTo("CentralSystem"));
            Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(300)), Is.Null, "nothing is signed");
            Assert.That((await _server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).GetArrayLength(), Is.Zero);
        }
    }

    /// <summary>The CSR with one bit of its subject's CN flipped (the signature then covers other data).</summary>
    private static string Tampered(string pem)
    {
        byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        int at = der.AsSpan().IndexOf("CSR-"u8);
        der[at] ^= 0x01;
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }

    [Test]
    public async Task A_CSR_over_an_unencrypted_connection_is_rejected()
    {
        string id = TestIds.Next("CSR");
        await using var client = await _server.ConnectBootedAsync(id); // profile 1 over ws://

        var answer = await client.CallResultAsync("SignCertificate", new { csr = Csr(id).Pem });

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That((await ServerEventAsync(id, "InvalidCertificateSigningRequest")).GetProperty("techInfo").GetString(), Does.Contain("needs a TLS connection"));
    }

    [Test]
    public async Task An_oversize_or_malformed_SignCertificate_is_a_schema_error()
    {
        var (id, client, _) = await ConnectProfile3Async();
        await using (client)
        {
            await client.CallErrorAsync("SignCertificate", new { csr = new string('A', 5501) }, "PropertyConstraintViolation");
            await client.CallErrorAsync("SignCertificate", new { csr = Csr(id).Pem, certificateType = "ChargingStationCertificate" }, "FormationViolation");
            await client.CallErrorAsync("SignCertificate", new { }, "OccurenceConstraintViolation");
            await client.CallErrorAsync("SignCertificate", new { csr = 42 }, "TypeConstraintViolation");
        }
    }

    [Test]
    public async Task A_newer_request_supersedes_one_still_waiting()
    {
        await using var server = await TestServer.StartWithTlsAsync(new Dictionary<string, string?> { ["Security:ChargePointCaKey"] = "" });
        string id = TestIds.Next("CSR");
        await server.RegisterChargePointAsync(id, securityProfile: 3);
        await using var client = await OcppTestClient.ConnectAsync(server.SecureWebSocketUri(id), configure: server.Tls(server.Pki!.IssueClientCertificate(id)));
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));

        await client.CallResultAsync("SignCertificate", new { csr = Csr(id).Pem });
        await client.CallResultAsync("SignCertificate", new { csr = Csr(id).Pem });

        var statuses = (await server.GetJsonAsync($"/api/certificates/signing-requests?chargePointId={id}")).EnumerateArray()
            .Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.That(statuses, Is.EqualTo(new[] { "Pending", "Superseded" }), "newest first");
    }
}
