using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Without Security:ChargePointCaKey a request the server accepts waits for an operator-approved signer: listed as
/// Pending, its CSR readable through the API, and the signed chain the operator submits is checked (the request's key,
/// a certificate the server admits at profile 3 for that charge point) before it goes to the charger in CertificateSigned.
/// </summary>
public sealed class OperatorSignerTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() =>
        _server = await TestServer.StartWithTlsAsync(new Dictionary<string, string?> { ["Security:ChargePointCaKey"] = "" });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private TestPki Pki => _server.Pki!;

    private async Task<(string Id, OcppTestClient Client, long RequestId, string Csr)> PendingRequestAsync()
    {
        string id = TestIds.Next("OPS");
        await _server.RegisterChargePointAsync(id, securityProfile: 3);
        var client = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(Pki.IssueClientCertificate(id)));
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        string csr = CertificateSigningTests.Csr(id).Pem;
        Assert.That((await client.CallResultAsync("SignCertificate", new { csr })).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(300)), Is.Null, "nothing is signed without a CA key");
        var pending = (await _server.GetJsonAsync($"/api/certificates/signing-requests?status=Pending&chargePointId={id}")).EnumerateArray().Single();
        Assert.That(pending.GetProperty("signer").GetString(), Is.EqualTo("Operator"));
        return (id, client, pending.GetProperty("id").GetInt64(), csr);
    }

    /// <summary>What the operator's CA does with the CSR it read from the API.</summary>
    private static X509Certificate2 SignAsOperator(string csrPem, X509Certificate2 ca, string? commonName = null)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        if (commonName is not null)
        {
            request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), request.PublicKey, HashAlgorithmName.SHA256);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = 0x42;
        return request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    [Test(Description = "TC_074_CSMS (operator-approved signer)")]
    public async Task A_pending_request_is_signed_by_the_operator_and_sent_to_the_charger()
    {
        var (id, client, requestId, csr) = await PendingRequestAsync();
        await using var _ = client;

        var read = await _server.GetJsonAsync($"/api/certificates/signing-requests/{requestId}");
        Assert.That(read.GetProperty("csr").GetString(), Is.EqualTo(csr));
        var certificate = SignAsOperator(read.GetProperty("csr").GetString()!, Pki.ChargePointCa);
        string chain = certificate.ExportCertificatePem() + "\n" + Pki.ChargePointCa.ExportCertificatePem();

        var submitting = _server.PostAsync($"/api/certificates/signing-requests/{requestId}/certificate", new { certificateChain = chain });
        var call = await client.NextServerCallAsync();
        Assert.That((call.Action, call.Payload.GetProperty("certificateChain").GetString()), Is.EqualTo(("CertificateSigned", chain)));
        await client.RespondAsync(call, new { status = "Accepted" });

        var answer = (await submitting).AssertStatus(HttpStatusCode.OK);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(answer.GetProperty("chargerStatus").GetString(), Is.EqualTo("Accepted"));
            Assert.That(answer.GetProperty("request").GetProperty("status").GetString(), Is.EqualTo("Installed"));
            Assert.That(answer.GetProperty("request").GetProperty("certificateSerialNumber").GetString(), Is.EqualTo(certificate.SerialNumber));
        }

        (await _server.PostAsync($"/api/certificates/signing-requests/{requestId}/certificate", new { certificateChain = chain }))
            .AssertProblem(HttpStatusCode.Conflict);
    }

    private static IEnumerable<TestCaseData> BadChains()
    {
        yield return new TestCaseData("other key", "does not carry the request's public key").SetName("A chain for another key is refused");
        yield return new TestCaseData("other CA", "not issued by the charge point CA").SetName("A chain of a CA the server does not trust is refused");
        yield return new TestCaseData("wrong CN", "subject CN is not the charge point's identity").SetName("A certificate naming another charge point is refused");
        yield return new TestCaseData("garbage", "holds no PEM certificate").SetName("A chain that is not PEM is refused");
        yield return new TestCaseData("oversize", "at most 10000 characters").SetName("A chain longer than CertificateSigned allows is refused");
    }

    [TestCaseSource(nameof(BadChains))]
    public async Task A_chain_that_does_not_fit_is_refused_and_nothing_is_sent(string kind, string reason)
    {
        var (id, client, requestId, csr) = await PendingRequestAsync();
        await using var _ = client;
        string chain = kind switch
        {
            "other key" => SignAsOperator(CertificateSigningTests.Csr(id).Pem, Pki.ChargePointCa).ExportCertificatePem(),
            "other CA" => SignAsOperator(csr, TestPki.CreateOtherCa()).ExportCertificatePem(),
            "wrong CN" => SignAsOperator(csr, Pki.ChargePointCa, "SOMEONE-ELSE").ExportCertificatePem(),
            "garbage" => "not a certificate",
            _ => new string('A', 10_001),
        };

        var problem = (await _server.PostAsync($"/api/certificates/signing-requests/{requestId}/certificate", new { certificateChain = chain }))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(reason));
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(300)), Is.Null);
        Assert.That((await _server.GetJsonAsync($"/api/certificates/signing-requests/{requestId}")).GetProperty("status").GetString(), Is.EqualTo("Pending"));
    }

    [Test]
    public async Task An_unknown_request_is_404()
    {
        (await _server.PostAsync("/api/certificates/signing-requests/999999/certificate", new { certificateChain = "x" })).AssertProblem(HttpStatusCode.NotFound);
        (await _server.GetAsync("/api/certificates/signing-requests/999999")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_charger_that_left_gets_its_certificate_recorded_as_undelivered_and_it_can_be_sent_again()
    {
        var (id, client, requestId, csr) = await PendingRequestAsync();
        string chain = SignAsOperator(csr, Pki.ChargePointCa).ExportCertificatePem();
        await client.DisposeAsync();
        await Eventually.UntilAsync(async () => (await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), c => !c, "disconnected");

        var answer = (await _server.PostAsync($"/api/certificates/signing-requests/{requestId}/certificate", new { certificateChain = chain }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.That(answer.GetProperty("request").GetProperty("status").GetString(), Is.EqualTo("Undelivered"));

        await using var again = await OcppTestClient.ConnectAsync(_server.SecureWebSocketUri(id), configure: _server.Tls(Pki.IssueClientCertificate(id)));
        Assert.That(await again.BootAsync(), Is.EqualTo("Accepted"));
        var resending = _server.PostAsync($"/api/certificates/signing-requests/{requestId}/certificate", new { certificateChain = chain });
        await again.AnswerServerCallAsync("CertificateSigned", new { status = "Accepted" });
        Assert.That((await resending).AssertStatus(HttpStatusCode.OK).GetProperty("request").GetProperty("status").GetString(), Is.EqualTo("Installed"));
    }
}
