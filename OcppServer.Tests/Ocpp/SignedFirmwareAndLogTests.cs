using System.Net;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Secure firmware updates and logs of the OCPP 1.6 security whitepaper on the server's side: SignedFirmwareStatusNotification
/// and LogStatusNotification stored per charge point and shown by the API (OCA TC_079, TC_080, TC_081), and plain
/// UpdateFirmware refused for charge points of profile 2 and 3 while Security:RequireSignedFirmware holds.
/// </summary>
public sealed class SignedFirmwareAndLogTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartWithTlsAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static IEnumerable<string> Statuses(JsonElement view) => view.GetProperty("history").EnumerateArray().Select(r => r.GetProperty("status").GetString()!);

    [Test(Description = "TC_080_CSMS")]
    public async Task TC_080_CSMS_a_signed_update_is_requested_and_its_statuses_are_stored_in_order()
    {
        string id = TestIds.Next("SFW");
        await using var client = await _server.ConnectBootedAsync(id);
        const string request = """
            {"requestId":41,"retries":2,"retryInterval":60,"firmware":{"location":"https://fw.example.com/fw-2.0.bin",
             "retrieveDateTime":"2030-01-01T00:00:00Z","signingCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
             "signature":"MEUCIQDx"}}
            """;

        var sending = _server.SendCommandAsync(id, "SignedUpdateFirmware", request);
        var call = await client.AnswerServerCallAsync("SignedUpdateFirmware", new { status = "Accepted" });
        Assert.That(call.Payload.GetProperty("requestId").GetInt32(), Is.EqualTo(41));
        Assert.That((await sending).AssertStatus(HttpStatusCode.OK).GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        foreach (string status in new[] { "Downloading", "Downloaded", "SignatureVerified", "Installing", "InstallRebooting", "Installed" })
        {
            var answer = await client.CallResultAsync("SignedFirmwareStatusNotification", new { status, requestId = 41 });
            Assert.That(answer.EnumerateObject(), Is.Empty, "SignedFirmwareStatusNotification.conf has no fields");
        }

        var view = await _server.GetJsonAsync($"/api/chargepoints/{id}/firmware-status");
        Assert.That(view.GetProperty("latest").GetProperty("status").GetString(), Is.EqualTo("Installed"));
        Assert.That(view.GetProperty("latest").GetProperty("requestId").GetInt32(), Is.EqualTo(41));
        Assert.That(Statuses(view), Is.EqualTo(new[] { "Installed", "InstallRebooting", "Installing", "SignatureVerified", "Downloaded", "Downloading" }));
    }

    [Test(Description = "TC_081_CSMS")]
    public async Task TC_081_CSMS_an_invalid_signature_is_stored_and_the_chargers_security_event_too()
    {
        string id = TestIds.Next("SFW");
        await using var client = await _server.ConnectBootedAsync(id);

        foreach (string status in new[] { "Downloading", "Downloaded", "InvalidSignature" })
        {
            await client.CallResultAsync("SignedFirmwareStatusNotification", new { status, requestId = 42 });
        }

        await client.CallResultAsync("SecurityEventNotification", new { type = "InvalidFirmwareSignature", timestamp = TestIds.Timestamp(DateTimeOffset.UtcNow) });

        var view = await _server.GetJsonAsync($"/api/chargepoints/{id}/firmware-status");
        Assert.That(view.GetProperty("latest").GetProperty("status").GetString(), Is.EqualTo("InvalidSignature"));
        var events = await _server.GetJsonAsync($"/api/security-events?chargePointId={id}");
        Assert.That(events.EnumerateArray().Select(e => e.GetProperty("type").GetString()), Does.Contain("InvalidFirmwareSignature"));
    }

    [Test(Description = "TC_079_CSMS")]
    public async Task TC_079_CSMS_GetLog_of_the_security_log_and_its_upload_statuses()
    {
        string id = TestIds.Next("LOG");
        await using var client = await _server.ConnectBootedAsync(id);

        var sending = _server.SendCommandAsync(id, "GetLog", """{"logType":"SecurityLog","requestId":7,"log":{"remoteLocation":"https://logs.example.com/up"}}""");
        var call = await client.AnswerServerCallAsync("GetLog", new { status = "Accepted", filename = "security.log" });
        Assert.That(call.Payload.GetProperty("logType").GetString(), Is.EqualTo("SecurityLog"));
        Assert.That((await sending).AssertStatus(HttpStatusCode.OK).GetProperty("filename").GetString(), Is.EqualTo("security.log"));

        Assert.That((await _server.GetJsonAsync($"/api/chargepoints/{id}/log-status")).GetProperty("latest").ValueKind, Is.EqualTo(JsonValueKind.Null));
        await client.CallResultAsync("LogStatusNotification", new { status = "Uploading", requestId = 7 });
        await client.CallResultAsync("LogStatusNotification", new { status = "Uploaded", requestId = 7 });

        var view = await _server.GetJsonAsync($"/api/chargepoints/{id}/log-status");
        Assert.That(Statuses(view), Is.EqualTo(new[] { "Uploaded", "Uploading" }));
        Assert.That(view.GetProperty("history").EnumerateArray().Select(r => r.GetProperty("requestId").GetInt32()), Is.All.EqualTo(7));
        Assert.That(await _server.GetJsonAsync($"/api/chargepoints/{id}/firmware-status") is var firmware
                    && firmware.GetProperty("history").GetArrayLength() == 0, Is.True, "kept apart from firmware statuses");
    }

    [Test]
    public async Task Bad_status_notifications_are_schema_errors()
    {
        string id = TestIds.Next("SFW");
        await using var client = await _server.ConnectBootedAsync(id);

        await client.CallErrorAsync("SignedFirmwareStatusNotification", new { status = "Exploded" }, "PropertyConstraintViolation");
        await client.CallErrorAsync("SignedFirmwareStatusNotification", new { status = "Installed", requestId = "7" }, "TypeConstraintViolation");
        await client.CallErrorAsync("LogStatusNotification", new { status = "Uploaded", filename = "x" }, "FormationViolation");
        await client.CallErrorAsync("LogStatusNotification", new { requestId = 1 }, "OccurenceConstraintViolation");
        Assert.That((await _server.GetJsonAsync($"/api/chargepoints/{id}/log-status")).GetProperty("history").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Bad_commands_are_refused_before_anything_is_sent()
    {
        string id = TestIds.Next("SFW");
        await using var client = await _server.ConnectBootedAsync(id);

        (await _server.SendCommandAsync(id, "GetLog", """{"logType":"AuditLog","requestId":1,"log":{"remoteLocation":"https://x"}}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _server.SendCommandAsync(id, "SignedUpdateFirmware",
            $$$"""{"requestId":1,"firmware":{"location":"https://x","retrieveDateTime":"2030-01-01T00:00:00Z","signingCertificate":"x","signature":"{{{new string('A', 801)}}}"}}"""))
            .AssertProblem(HttpStatusCode.BadRequest);
        (await _server.SendCommandAsync(id, "CertificateSigned", $$"""{"certificateChain":"{{new string('A', 10_001)}}"}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _server.SendCommandAsync(id, "ExtendedTriggerMessage", """{"requestedMessage":"DiagnosticsStatusNotification"}""")).AssertProblem(HttpStatusCode.BadRequest);
        (await _server.SendCommandAsync(id, "DeleteCertificate",
            """{"certificateHashData":{"hashAlgorithm":"MD5","issuerNameHash":"a","issuerKeyHash":"b","serialNumber":"c"}}""")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(200)), Is.Null);
        (await _server.GetAsync("/api/chargepoints/NO-SUCH-CP/firmware-status")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Plain_UpdateFirmware_is_refused_at_profile_2_and_allowed_at_profile_1_or_when_the_operator_allows_it()
    {
        string secured = TestIds.Next("SFW");
        await _server.RegisterChargePointAsync(secured, securityProfile: 2);
        await using var client = await OcppTestClient.ConnectAsync(
            _server.SecureWebSocketUri(secured), user: secured, password: _server.PasswordOf(secured), configure: _server.Tls());
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        const string update = """{"location":"https://fw.example.com/fw-2.0.bin","retrieveDate":"2030-01-01T00:00:00Z"}""";

        var problem = (await _server.SendCommandAsync(secured, "UpdateFirmware", update)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("SignedUpdateFirmware").And.Contain("Security:RequireSignedFirmware"));
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(200)), Is.Null, "nothing sent");

        string plain = TestIds.Next("SFW");
        await using var basic = await _server.ConnectBootedAsync(plain);
        var sending = _server.SendCommandAsync(plain, "UpdateFirmware", update);
        await basic.AnswerServerCallAsync("UpdateFirmware", new { });
        (await sending).AssertStatus(HttpStatusCode.OK);

        _server.ChangeSetting("Security:RequireSignedFirmware", "false");
        try
        {
            var allowed = _server.SendCommandAsync(secured, "UpdateFirmware", update);
            await client.AnswerServerCallAsync("UpdateFirmware", new { });
            (await allowed).AssertStatus(HttpStatusCode.OK);
        }
        finally
        {
            _server.ChangeSetting("Security:RequireSignedFirmware", null);
        }
    }
}
