using System.Net.Http.Json;
using System.Text.Json;
using OcppServer.Authorization.Decisions;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Authorization;

/// <summary>
/// Ways around the layered gate an attacker would try, each against the real server over a real WebSocket and the
/// real API; each must end refused with a recorded reason, or be impossible.
/// </summary>
public sealed class GateIntegrityTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Authorization:RemoteStopGraceSeconds"] = "1",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task A_StartTransaction_resent_after_its_transaction_stopped_is_decided_anew_and_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "dedup-stopped");
        await s.PresentAllEvidenceAsync();
        var start = new { connectorId = 1, idTag = s.IdTag, meterStart = 1000, timestamp = _server.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ") };

        var first = await s.Client.CallResultAsync("StartTransaction", start);
        Assert.That(first.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        int transactionId = first.GetProperty("transactionId").GetInt32();

        // While it is open, an identical start is a resend: same transaction, same answer, nothing decided again.
        var resend = await s.Client.CallResultAsync("StartTransaction", start);
        Assert.That(resend.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId));
        Assert.That(resend.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        int decisionsWhileOpen = await StartDecisionCountAsync(s);

        await s.Client.CallResultAsync("StopTransaction", new
        {
            transactionId, meterStop = 1500, timestamp = _server.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), reason = "Local",
        });

        // The same content after the stop is a replay: decided anew (its evidence is consumed), refused and recorded.
        var replay = await s.Client.CallResultAsync("StartTransaction", start);
        int replayId = replay.GetProperty("transactionId").GetInt32();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.Not.EqualTo("Accepted"));
            Assert.That(replayId, Is.Not.EqualTo(transactionId), "not the finished transaction");
            Assert.That(await StartDecisionCountAsync(s), Is.EqualTo(decisionsWhileOpen + 1));
        }

        var decision = await s.LatestDecisionAsync();
        Assert.That(decision.GetProperty("result").GetString(), Is.Not.EqualTo("Accepted"));
        Assert.That(decision.GetProperty("transactionId").GetInt32(), Is.EqualTo(replayId));
    }

    [Test]
    public async Task One_reader_cannot_make_another_readers_token_look_replayed_by_using_its_jti_first()
    {
        await using var victim = await LayeredScenario.CreateAsync(_server, "jti-victim");
        await using var other = await LayeredScenario.CreateAsync(_server, "jti-other");
        await victim.PreVerifyAsync();
        await victim.SendVinAsync();
        const string Jti = "shared-jti-0001";

        // Another charger's reader (its own key) signs a token with the jti the victim's reader is about to use.
        string foreign = other.Reader.Sign(other.ChargePointId, 1, TestBiometricReader.Sample(other.Template, 1), _server.Clock.GetUtcNow(), jti: Jti);
        Assert.That((await other.SendTokenAsync(foreign)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        string genuine = victim.Reader.Sign(victim.ChargePointId, 1, TestBiometricReader.Sample(victim.Template, 2), _server.Clock.GetUtcNow(), jti: Jti);
        Assert.That((await victim.SendTokenAsync(genuine)).GetProperty("status").GetString(), Is.EqualTo("Accepted"), "not a replay: another key's jti");
        Assert.That(await victim.AuthorizeAsync(), Is.EqualTo("Accepted"));

        // The same reader reusing its own jti is still a replay.
        string replay = victim.Reader.Sign(victim.ChargePointId, 1, TestBiometricReader.Sample(victim.Template, 3), _server.Clock.GetUtcNow(), jti: Jti);
        Assert.That((await victim.SendTokenAsync(replay)).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
    }

    [Test]
    public async Task A_face_shown_at_an_empty_connector_does_not_count_for_the_car_plugged_in_later()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "early-face", new() { ["autoStart"] = true });
        await s.PreVerifyAsync();
        await s.SetStatusAsync(1, "Available"); // nobody's car at connector 1
        Assert.That((await s.SendTokenAsync(s.GenuineToken())).GetProperty("status").GetString(), Is.EqualTo("Accepted"),
            "the token itself is genuine");

        // Within the evidence window an EV (or an emulator) plugs in and reports the driver's VIN.
        await s.SetStatusAsync(1, "Preparing");
        await s.SendVinAsync();

        Assert.That(await s.Client.TryNextServerCallAsync(TimeSpan.FromSeconds(1)), Is.Null, "no RemoteStartTransaction from the VIN alone");
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoBiometricToken"));
        var start = await s.StartTransactionAsync();
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.Not.EqualTo("Accepted"));
    }

    [TestCase("Faulted")]
    [TestCase("Unavailable")]
    [TestCase("Finishing")]
    public async Task Evidence_is_discarded_when_the_connector_session_ends(string status)
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "end-" + status);
        await s.PresentAllEvidenceAsync();

        await s.SetStatusAsync(1, status);
        await s.SetStatusAsync(1, "Preparing");

        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoVinReported"));
    }

    [Test]
    public async Task Evidence_is_discarded_by_a_reconnect_and_by_a_reboot()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "reconnect");
        await s.PresentAllEvidenceAsync();

        // The charger's socket drops and it comes back without reporting its connectors: the session is gone.
        await using (var again = await _server.ConnectAsync(s.ChargePointId))
        {
            await again.CallResultAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Preparing" });
            var authorize = await again.CallResultAsync("Authorize", new { idTag = s.IdTag });
            Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));

            // Evidence presented again on the new connection counts, until a reboot.
            await s.PreVerifyAsync();
            await again.CallResultAsync("DataTransfer", OcppAuthData("VehicleIdentification", new { connectorId = 1, vin = s.Vin, evccId = "EVCC-0001", protocol = "ISO15118-2" }));
            await again.CallResultAsync("DataTransfer", OcppAuthData("BiometricToken", new { connectorId = 1, token = s.GenuineToken() }));
            Assert.That((await again.CallResultAsync("Authorize", new { idTag = s.IdTag })).GetProperty("idTagInfo").GetProperty("status").GetString(),
                Is.EqualTo("Accepted"));

            await again.CallResultAsync("BootNotification", new { chargePointVendor = "Test", chargePointModel = "Layered" });
            await again.CallResultAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Preparing" });
            Assert.That((await again.CallResultAsync("Authorize", new { idTag = s.IdTag })).GetProperty("idTagInfo").GetProperty("status").GetString(),
                Is.EqualTo("Invalid"), "a reboot ends the session");
        }
    }

    [Test]
    public async Task A_look_alike_tapping_another_drivers_card_is_identified_as_themself()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "look-alike");
        float[] lookAlike = s.Template.Zip(TestBiometricReader.Person(4242), (v, o) => (float)(0.65 * v + 0.35 * o)).ToArray();
        await s.CreateDriverAsync("Look-alike", "TAG-look-alike-own", lookAlike);
        await s.PreVerifyAsync();
        await s.SendVinAsync();

        // The look-alike taps the victim's card first, then looks into the reader.
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"), "no face yet");
        await s.SendTokenAsync(s.GenuineToken(template: lookAlike));

        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        var decision = await s.LatestDecisionAsync();
        Assert.That(decision.GetProperty("reason").GetString(), Is.EqualTo("BiometricMatchesAnotherDriver"));
        var start = await s.StartTransactionAsync();
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.Not.EqualTo("Accepted"));
    }

    [Test]
    public async Task Authorize_with_complete_evidence_on_two_connectors_is_ambiguous()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "two-connectors");
        await s.PresentAllEvidenceAsync(connectorId: 1);
        await s.SendVinAsync(connectorId: 2);
        await s.SendTokenAsync(s.GenuineToken(connectorId: 2), connectorId: 2);

        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("AmbiguousConnector"));

        // StartTransaction names its connector: decided on that connector's evidence.
        var start = await s.StartTransactionAsync(connectorId: 1);
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task A_charge_point_without_a_station_is_refused_unless_the_operator_chose_IdTagOnly()
    {
        string tag = TestIds.Next("NS");
        await _server.CreateIdTagAsync(tag);
        string layered = TestIds.Next("NOSTATION");
        await _server.RegisterChargePointAsync(layered, authorization: "Layered");
        await using var client = await _server.ConnectAndBootAsync(layered);

        var authorize = await client.CallResultAsync("Authorize", new { idTag = tag });
        var start = await client.CallResultAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 0, timestamp = "2025-01-01T00:00:00.000Z" });

        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
        var decisions = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/authorizations?chargePointId={layered}&limit=10");
        Assert.That(decisions.EnumerateArray().Select(d => d.GetProperty("reason").GetString()), Is.All.EqualTo("NoLayeredPolicy"));
        Assert.That((await _server.GetChargePointAsync(layered)).GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()),
            Does.Contain("noLayeredPolicy"));

        (await _server.PutAsync($"/api/chargepoints/{layered}/authorization", new { mode = "IdTagOnly" })).AssertStatus(System.Net.HttpStatusCode.NoContent);
        var now = await client.CallResultAsync("Authorize", new { idTag = tag });
        Assert.That(now.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That((await _server.GetChargePointAsync(layered)).GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()),
            Does.Contain("idTagOnly"));
    }

    [Test]
    public async Task An_unknown_charge_point_registered_on_first_contact_gets_no_free_pass()
    {
        await using var open = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:UnknownChargePoints"] = "Accept" });
        await open.CreateIdTagAsync("TAG-UNKNOWN");
        await using var client = await OcppTestClient.ConnectAsync(open.WebSocketUri("NEW-CP"));
        await client.BootAsync();

        var authorize = await client.CallResultAsync("Authorize", new { idTag = "TAG-UNKNOWN" });

        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
        var decisions = await open.Api.GetFromJsonAsync<JsonElement>("/api/authorizations?chargePointId=NEW-CP&limit=1");
        Assert.That(decisions[0].GetProperty("reason").GetString(), Is.EqualTo("NoLayeredPolicy"));
        Assert.That(decisions[0].GetProperty("reasonText").GetString(), Does.Contain("no station"), "the reason is said in words");
        var policy = decisions[0].GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("factor").GetString() == "policy");
        Assert.That((policy.GetProperty("reason").GetString(), policy.GetProperty("reasonText").GetString()),
            Is.EqualTo(("NoLayeredPolicy", DecisionReasons.Describe(DecisionReason.NoLayeredPolicy))));
    }

    [TestCase("Deny", "Invalid", "UntrustedChargePoint", TestName = "A charger that refused its offline hardening is refused by default")]
    [TestCase("Allow", "Accepted", "Accepted", TestName = "A station may choose to allow a charger that refused its offline hardening, as a risk")]
    public async Task A_charger_that_keeps_an_offline_bypass_is_decided_by_the_station_policy(string behaviour, string expected, string reason)
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "untrusted-" + behaviour, new() { ["untrustedChargePoint"] = behaviour }, answerHardening: false);
        await AnswerHardeningAsync(s, refuse: "LocalAuthorizeOffline");
        await WaitForHardeningAsync(s);
        await s.PresentAllEvidenceAsync();

        Assert.That(await s.AuthorizeAsync(), Is.EqualTo(expected));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo(reason));
        var station = await _server.GetJsonAsync($"/api/stations/{s.StationId}");
        Assert.That(station.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()),
            behaviour == "Allow" ? Does.Contain("untrustedChargePointAllowed") : Does.Not.Contain("untrustedChargePointAllowed"));
    }

    [Test]
    public async Task A_charger_that_never_answered_its_hardening_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "unhardened", answerHardening: false);
        await s.PresentAllEvidenceAsync();

        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("HardeningNotConfirmed"));
    }

    [Test]
    public async Task A_charger_is_trusted_as_soon_as_it_answers_its_hardening_and_distrusted_when_it_refuses_it_later()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "trust-turns", answerHardening: false);
        await s.PresentAllEvidenceAsync();
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("HardeningNotConfirmed"));

        await AnswerHardeningAsync(s, refuse: "none");
        await WaitForHardeningAsync(s);
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"), "the verdict kept in memory was forgotten with the answers");

        // It reconnects without booting, and now refuses: distrusted from that answer on.
        await using var again = await _server.ConnectAsync(s.ChargePointId);
        await again.CallResultAsync("Heartbeat", new { });
        await again.AnswerServerCallAsync("ChangeConfiguration", new { status = "Rejected" });
        await Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(s.ChargePointId)).GetProperty("offlineHardening").GetProperty("bypassPossible").GetBoolean(),
            bypass => bypass, "the refusal is recorded");
        var authorize = await again.CallResultAsync("Authorize", new { idTag = s.IdTag });
        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("UntrustedChargePoint"));
    }

    [Test]
    public async Task A_charger_that_reconnects_without_booting_is_hardened_again()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "rehardened");

        await using var again = await _server.ConnectAsync(s.ChargePointId);
        await again.CallResultAsync("Heartbeat", new { });

        var call = await again.NextServerCallAsync();
        Assert.That((call.Action, call.Payload.GetProperty("key").GetString()), Is.EqualTo(("ChangeConfiguration", "LocalAuthorizeOffline")));
        await again.RespondAsync(call, new { status = "Rejected" }); // its configuration was put back while it was away
        for (int i = 0; i < 4; i++)
        {
            await again.AnswerServerCallAsync("ChangeConfiguration", new { status = "Accepted" });
        }

        await again.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });
        await Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(s.ChargePointId)).GetProperty("offlineHardening").GetProperty("bypassPossible").GetBoolean(),
            bypass => bypass, "the new answer is recorded");
    }

    private static async Task AnswerHardeningAsync(LayeredScenario s, string refuse)
    {
        for (int i = 0; i < 5; i++)
        {
            var call = await s.Client.NextServerCallAsync();
            await s.Client.RespondAsync(call, new { status = call.Payload.GetProperty("key").GetString() == refuse ? "Rejected" : "Accepted" });
        }

        await s.Client.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });
    }

    private async Task WaitForHardeningAsync(LayeredScenario s) =>
        await Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(s.ChargePointId)).GetProperty("offlineHardening"),
            h => h.ValueKind == JsonValueKind.Object && h.GetProperty("settings").GetArrayLength() == 6, "the hardening answers are recorded");

    private static object OcppAuthData(string messageId, object data) =>
        new { vendorId = "org.ocppauth", messageId, data = JsonSerializer.Serialize(data) };

    private async Task<int> StartDecisionCountAsync(LayeredScenario s)
    {
        var decisions = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/authorizations?chargePointId={s.ChargePointId}&limit=100");
        return decisions.EnumerateArray().Count(d => d.GetProperty("phase").GetString() == "StartTransaction");
    }
}
