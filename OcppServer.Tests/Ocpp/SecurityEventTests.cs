using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// SecurityEventNotification (OCPP 1.6 security whitepaper, edition 3): a charge point's security events are stored
/// before it is answered and listed by <c>GET /api/security-events</c> newest first.
/// </summary>
public sealed class SecurityEventTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>OCA TC_077_CSMS (Invalid ChargePointCertificate Security Event) and TC_078_CSMS (Invalid CentralSystemCertificate Security Event): the central system takes the charger's notification.</summary>
    [TestCase("InvalidChargePointCertificate", TestName = "TC_077_CSMS: InvalidChargePointCertificate reported by the charger is stored")]
    [TestCase("InvalidCentralSystemCertificate", TestName = "TC_078_CSMS: InvalidCentralSystemCertificate reported by the charger is stored")]
    public async Task A_reported_event_is_stored_before_the_answer_and_listed(string type)
    {
        string id = TestIds.Next("SEC");
        await using var client = await _server.ConnectBootedAsync(id);
        var occurredAt = DateTimeOffset.Parse("2025-03-01T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture);

        var answer = await client.CallResultAsync("SecurityEventNotification",
            new { type, timestamp = TestIds.Timestamp(occurredAt), techInfo = "certificate chain does not end in a trusted root" });

        Assert.That(answer.EnumerateObject(), Is.Empty, "SecurityEventNotification.conf has no fields");
        // Answered only after it was committed: readable at once, no polling.
        var listed = (await _server.GetJsonAsync($"/api/security-events?chargePointId={Uri.EscapeDataString(id)}")).EnumerateArray().ToList();
        Assert.That(listed, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed[0].GetProperty("type").GetString(), Is.EqualTo(type));
            Assert.That(listed[0].GetProperty("source").GetString(), Is.EqualTo("ChargePoint"));
            Assert.That(listed[0].GetProperty("techInfo").GetString(), Is.EqualTo("certificate chain does not end in a trusted root"));
            Assert.That(listed[0].GetProperty("occurredAt").GetString(), Is.EqualTo("2025-03-01T10:00:00.123Z"));
            Assert.That(listed[0].GetProperty("remoteAddress").GetString(), Is.EqualTo("127.0.0.1"));
        }
    }

    [Test]
    public async Task Events_are_listed_newest_first_per_charge_point_and_limited()
    {
        string id = TestIds.Next("SEC");
        string other = TestIds.Next("SEC");
        await _server.RegisterChargePointAsync(id);
        await _server.RegisterChargePointAsync(other);
        await using var client = await _server.ConnectAndBootAsync(id);
        await using var otherClient = await _server.ConnectAndBootAsync(other);
        string now = TestIds.Timestamp(DateTimeOffset.UtcNow);
        foreach (string type in new[] { "StartupOfTheDevice", "SettingSystemTime", "ResetOrReboot" })
        {
            await client.CallResultAsync("SecurityEventNotification", new { type, timestamp = now });
        }

        await otherClient.CallResultAsync("SecurityEventNotification", new { type = "TamperDetectionActivated", timestamp = now });

        var mine = (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        var limited = (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}&limit=2")).EnumerateArray()
            .Select(e => e.GetProperty("type").GetString()).ToList();
        var all = (await _server.GetJsonAsync("/api/security-events?limit=1000")).EnumerateArray()
            .Select(e => e.GetProperty("chargePointId").GetString()).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(mine, Is.EqualTo(new[] { "ResetOrReboot", "SettingSystemTime", "StartupOfTheDevice" }));
            Assert.That(limited, Is.EqualTo(new[] { "ResetOrReboot", "SettingSystemTime" }));
            Assert.That(all, Does.Contain(id).And.Contain(other));
        }
    }

    [Test]
    public async Task A_notification_breaking_the_schema_is_refused_and_not_stored()
    {
        string id = TestIds.Next("SEC");
        await _server.RegisterChargePointAsync(id);
        await using var client = await _server.ConnectAndBootAsync(id);

        await client.CallErrorAsync("SecurityEventNotification", new { type = new string('x', 51), timestamp = TestIds.Timestamp(DateTimeOffset.UtcNow) },
            "PropertyConstraintViolation");
        await client.CallErrorAsync("SecurityEventNotification", new { type = "ResetOrReboot" }, "OccurenceConstraintViolation");

        Assert.That((await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task The_list_needs_an_operator_key()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseUri };
        using var response = await anonymous.GetAsync("/api/security-events");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private async Task<System.Text.Json.JsonElement> ServerEventAsync(string chargePointId, string type) =>
        await Eventually.UntilAsync(
            async () => (await _server.GetJsonAsync($"/api/security-events?chargePointId={Uri.EscapeDataString(chargePointId)}")).EnumerateArray()
                .FirstOrDefault(e => e.GetProperty("type").GetString() == type),
            e => e.ValueKind == System.Text.Json.JsonValueKind.Object,
            $"the server records {type} for {chargePointId}");

    [Test]
    public async Task A_refused_handshake_is_recorded_by_the_server_without_the_password()
    {
        string id = TestIds.Next("SEC");
        await _server.RegisterChargePointAsync(id);
        string wrong = TestServer.NewPassword();

        Assert.That(await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, wrong), Is.EqualTo(HttpStatusCode.Unauthorized));

        var recorded = await ServerEventAsync(id, "FailedToAuthenticateAtCentralSystem");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recorded.GetProperty("source").GetString(), Is.EqualTo("CentralSystem"));
            Assert.That(recorded.GetProperty("techInfo").GetString(), Does.Contain("wrong credentials"));
            Assert.That(recorded.GetRawText(), Does.Not.Contain(wrong), "no secret in the event");
            Assert.That(recorded.GetProperty("remoteAddress").GetString(), Is.EqualTo("127.0.0.1"));
        }
    }

    [Test]
    public async Task A_second_connection_of_the_same_identity_is_recorded()
    {
        string id = TestIds.Next("SEC");
        await _server.RegisterChargePointAsync(id);
        await using var first = await _server.ConnectAsync(id);
        await using var second = await _server.ConnectAsync(id);

        Assert.That(await first.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation));
        var recorded = await ServerEventAsync(id, "ConnectionReplaced");
        Assert.That(recorded.GetProperty("techInfo").GetString(), Does.StartWith("A new connection from 127.0.0.1 replaced the one from 127.0.0.1"));
    }

    [Test]
    public async Task A_charger_refusing_its_offline_hardening_is_recorded()
    {
        string station = TestIds.Next("SECST");
        string id = TestIds.Next("SEC");
        await _server.CreateStationAsync(station, layered: true);
        await _server.RegisterChargePointAsync(id, stationId: station);
        await using var client = await _server.ConnectAsync(id);
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        for (int i = 0; i < 5; i++)
        {
            var call = await client.NextServerCallAsync();
            await client.RespondAsync(call, new { status = call.Payload.GetProperty("key").GetString() == "LocalAuthorizeOffline" ? "Rejected" : "Accepted" });
        }

        await client.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });

        var recorded = await ServerEventAsync(id, "OfflineHardeningRefused");
        Assert.That(recorded.GetProperty("techInfo").GetString(), Is.EqualTo("LocalAuthorizeOffline=false: Rejected"));
        // Every answer is recorded once its event was raised; a later event through the same queue shows that all of them were stored.
        await Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(id)).GetProperty("offlineHardening"),
            h => h.ValueKind == System.Text.Json.JsonValueKind.Object && h.GetProperty("settings").GetArrayLength() == 6, "six answers recorded");
        await OcppTestClient.HandshakeStatusAsync(_server.WebSocketUri(id), id, TestServer.NewPassword());
        await ServerEventAsync(id, "FailedToAuthenticateAtCentralSystem");
        var all = (await _server.GetJsonAsync($"/api/security-events?chargePointId={id}")).EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "OfflineHardeningRefused").ToList();
        Assert.That(all, Has.Count.EqualTo(1), "only the refused setting is an event");
    }
}
