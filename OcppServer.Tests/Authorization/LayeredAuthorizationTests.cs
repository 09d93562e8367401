using System.Net.Http.Json;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Authorization;

/// <summary>
/// The gate, one test per row of the issue: each asserts the OCPP reply and the stored decision's reason.
/// Real server, real WebSocket, real API.
/// </summary>
public sealed class LayeredAuthorizationTests
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
    public async Task Row01_all_three_factors_match_accepted_transaction_started_and_evidence_consumed()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r01");
        string preVerificationId = await s.PreVerifyAsync();
        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());

        var authorize = await s.Client.CallResultAsync("Authorize", new { idTag = s.IdTag });
        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var expiry = authorize.GetProperty("idTagInfo").GetProperty("expiryDate").GetDateTimeOffset();
        Assert.That(expiry - _server.Clock.GetUtcNow(), Is.LessThan(TimeSpan.FromMinutes(10)), "short expiry so chargers do not cache it");
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("Accepted"));

        var start = await s.StartTransactionAsync();
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        int transactionId = start.GetProperty("transactionId").GetInt32();

        var decision = await s.LatestDecisionAsync();
        Assert.That(decision.GetProperty("phase").GetString(), Is.EqualTo("StartTransaction"));
        Assert.That(decision.GetProperty("result").GetString(), Is.EqualTo("Accepted"));
        Assert.That(decision.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId));
        Assert.That(decision.GetProperty("vehicleId").GetString(), Is.EqualTo(s.VehicleId));
        var factors = decision.GetProperty("factors").EnumerateArray().ToDictionary(f => f.GetProperty("factor").GetString()!);
        Assert.That(factors.Values.All(f => f.GetProperty("ok").GetBoolean()), Is.True);
        Assert.That(factors["preVerification"].GetProperty("evidenceId").GetString(), Is.EqualTo(preVerificationId));
        Assert.That(factors["biometric"].GetProperty("score").GetDouble(), Is.GreaterThan(0.8));

        var record = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{preVerificationId}");
        Assert.That(record.GetProperty("consumedByTransactionId").GetInt32(), Is.EqualTo(transactionId));
    }

    [Test]
    public async Task Row02_no_pre_verification_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r02");
        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoPreVerification"));
    }

    [Test]
    public async Task Row03_pre_verification_at_another_station_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r03");
        await s.PostAsync("/api/stations", new { id = "ST-r03-other", name = "Other" });
        await s.PreVerifyAsync(stationId: "ST-r03-other");
        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("PreVerificationAtOtherStation"));
    }

    [Test]
    public async Task Row04_expired_pre_verification_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r04", new() { ["preVerificationWindowMinutes"] = 30 });
        await s.PreVerifyAsync();
        _server.Clock.Advance(TimeSpan.FromMinutes(31));
        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("PreVerificationExpired"));
    }

    [Test]
    public async Task Row05_pre_verification_already_consumed_by_another_session_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r05");
        await s.PresentAllEvidenceAsync(connectorId: 1);
        var first = await s.StartTransactionAsync(connectorId: 1);
        Assert.That(first.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        await s.Client.CallResultAsync("StopTransaction", new
        {
            transactionId = first.GetProperty("transactionId").GetInt32(), meterStop = 2000, timestamp = _server.Clock.GetUtcNow().ToString("O"),
        });

        // The same car and driver start a second session (a new connector session) without passing the entrance again.
        await s.SetStatusAsync(1, "Preparing");
        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());
        var second = await s.StartTransactionAsync(meterStart: 2000);
        Assert.That(second.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("PreVerificationConsumed"));
    }

    [Test]
    public async Task Row06_blocked_vehicle_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r06");
        await s.PresentAllEvidenceAsync();
        await s.PostAsync($"/api/vehicles/{s.VehicleId}/block", new { });
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("VehicleBlocked"));
    }

    [Test]
    public async Task Row07_no_vin_reported_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r07");
        await s.PreVerifyAsync();
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoVinReported"));
    }

    [Test]
    public async Task Row08_vin_of_a_different_vehicle_than_the_pre_verified_plate_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r08");
        // The driver may drive a second car; the entrance saw the plate of the first, the charger reads the second's VIN.
        string otherVin = LayeredScenario.NewVin(808);
        await s.CreateVehicleAsync(otherVin, "ZZ808ZZ", s.DriverId);
        await s.PreVerifyAsync();
        await s.SendVinAsync(vin: otherVin);
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("VinDoesNotMatchPreVerifiedVehicle"));
    }

    [TestCase("WRONGLENGTH")]
    [TestCase("1HGCM82633A00435O")]
    public async Task Row09_malformed_vin_is_rejected_and_refused(string badVin)
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r09" + badVin.Length + badVin[^1]);
        await s.PreVerifyAsync();
        var reply = await s.SendVinAsync(vin: badVin);
        Assert.That(reply.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That(LayeredScenario.Reason(reply), Is.EqualTo("InvalidVin"));
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("InvalidVin"));
    }

    [Test]
    public async Task Row09_vin_with_a_bad_check_digit_is_rejected()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r09cd");
        char wrong = s.Vin[8] == '1' ? '2' : '1';
        string badCheckDigit = s.Vin[..8] + wrong + s.Vin[9..];
        var reply = await s.SendVinAsync(vin: badCheckDigit);
        Assert.That(LayeredScenario.Reason(reply), Is.EqualTo("InvalidVin"));
    }

    [Test]
    public async Task Row10_no_biometric_token_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r10");
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoBiometricToken"));
    }

    [Test]
    public async Task Row11_token_matching_another_driver_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r11");
        float[] someoneElse = TestBiometricReader.Person(1111);
        await s.CreateDriverAsync("Someone else", "TAG-r11-other", someoneElse);
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        var reply = await s.SendTokenAsync(s.GenuineToken(template: someoneElse));
        Assert.That(reply.GetProperty("status").GetString(), Is.EqualTo("Accepted"), "the token itself is genuine");
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("BiometricMatchesAnotherDriver"));
    }

    [Test]
    public async Task Row12_replayed_token_is_rejected_and_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r12");
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        string token = s.GenuineToken();
        Assert.That((await s.SendTokenAsync(token)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var replay = await s.SendTokenAsync(token);
        Assert.That(replay.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That(LayeredScenario.Reason(replay), Is.EqualTo("InvalidToken"));
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("Replayed"));
    }

    [TestCase(-10, "Expired")]
    [TestCase(+10, "IssuedInFuture")]
    public async Task Row13_expired_or_future_token_is_rejected(int minutesFromNow, string reason)
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r13" + reason[..4]);
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        var now = _server.Clock.GetUtcNow();
        string token = s.Reader.Sign(s.ChargePointId, 1, TestBiometricReader.Sample(s.Template, 13), now, issuedAt: now.AddMinutes(minutesFromNow));
        Assert.That((await s.SendTokenAsync(token)).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo(reason));
    }

    [Test]
    public async Task Row13_token_living_longer_than_five_minutes_is_rejected()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r13life");
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        string token = s.Reader.Sign(s.ChargePointId, 1, TestBiometricReader.Sample(s.Template, 14), _server.Clock.GetUtcNow(), lifetime: TimeSpan.FromMinutes(30));
        Assert.That((await s.SendTokenAsync(token)).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("LifetimeTooLong"));
    }

    [TestCase("forged", "BadSignature")]
    [TestCase("none", "AlgorithmNotAllowed")]
    [TestCase("HS256", "AlgorithmNotAllowed")]
    [TestCase("otherKey", "KeyOfAnotherChargePoint")]
    [TestCase("unknownKey", "UnknownKey")]
    public async Task Row14_forged_or_foreign_tokens_are_rejected(string attack, string reason)
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r14" + attack);
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        var now = _server.Clock.GetUtcNow();
        var sample = TestBiometricReader.Sample(s.Template, 21);
        string token;
        switch (attack)
        {
            case "forged":
                // A valid token whose payload is swapped for another person's template: the signature no longer fits.
                string genuine = s.Reader.Sign(s.ChargePointId, 1, sample, now);
                string other = s.Reader.Sign(s.ChargePointId, 1, TestBiometricReader.Person(999), now);
                var parts = genuine.Split('.');
                token = $"{parts[0]}.{other.Split('.')[1]}.{parts[2]}";
                break;
            case "otherKey":
                await using (var neighbour = await LayeredScenario.CreateAsync(_server, "r14neighbour"))
                {
                    token = neighbour.Reader.Sign(s.ChargePointId, 1, sample, now);
                }

                break;
            case "unknownKey":
                using (var stranger = new TestBiometricReader("not-registered"))
                {
                    token = stranger.Sign(s.ChargePointId, 1, sample, now);
                }

                break;
            default:
                token = s.Reader.Sign(s.ChargePointId, 1, sample, now, alg: attack);
                break;
        }

        var reply = await s.SendTokenAsync(token);
        Assert.That(reply.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That(LayeredScenario.Reason(reply), Is.EqualTo("InvalidToken"));
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo(reason));
    }

    [Test]
    public async Task Row15_token_for_another_connector_is_rejected()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r15");
        await s.PreVerifyAsync();
        await s.SendVinAsync(connectorId: 1);
        string tokenForConnector2 = s.GenuineToken(connectorId: 2);
        var reply = await s.SendTokenAsync(tokenForConnector2, connectorId: 1);
        Assert.That(reply.GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("ConnectorMismatch"));
    }

    [Test]
    public async Task Row16_driver_not_allowed_to_drive_the_vehicle_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r16");
        string owner = await s.CreateDriverAsync("Owner r16", "TAG-r16-owner", TestBiometricReader.Person(1616));
        string otherVin = LayeredScenario.NewVin(1616);
        await s.CreateVehicleAsync(otherVin, "XY1616", owner);
        await s.PreVerifyAsync(plate: "XY1616");
        await s.SendVinAsync(vin: otherVin);
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("DriverNotAllowedForVehicle"));
    }

    [Test]
    public async Task Row17_blocked_and_expired_id_tags_are_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r17");
        await s.PresentAllEvidenceAsync();

        using (var expire = await _server.Api.PutAsJsonAsync($"/api/idtags/{s.IdTag}", new { status = "Accepted", expiryDate = _server.Clock.GetUtcNow().AddMinutes(-1) }))
        {
            expire.EnsureSuccessStatusCode();
        }

        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Expired"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("IdTagExpired"));

        await s.PostAsync($"/api/idtags/{s.IdTag}/block", new { });
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Blocked"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("IdTagBlocked"));
    }

    [Test]
    public async Task Row17_blocked_driver_is_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r17drv");
        await s.PresentAllEvidenceAsync();
        await s.PostAsync($"/api/drivers/{s.DriverId}/block", new { });
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Blocked"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("DriverBlocked"));
    }

    [Test]
    public async Task Row18_offline_start_without_evidence_is_refused_and_stopped()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r18");
        // Started offline: no Authorize, no evidence; the StartTransaction arrives after reconnecting.
        var start = await s.StartTransactionAsync();
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
        int transactionId = start.GetProperty("transactionId").GetInt32();
        Assert.That(transactionId, Is.GreaterThan(0));
        var decision = await s.LatestDecisionAsync();
        Assert.That(decision.GetProperty("phase").GetString(), Is.EqualTo("StartTransaction"));
        Assert.That(decision.GetProperty("reason").GetString(), Is.EqualTo("NoVinReported"));

        // The charger keeps charging: the server stops it.
        var stop = await s.Client.AnswerServerCallAsync("RemoteStopTransaction", new { status = "Accepted" });
        Assert.That(stop.Payload.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId));
    }

    [Test]
    public async Task Row19_evidence_is_discarded_when_the_cable_is_unplugged()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r19");
        await s.PresentAllEvidenceAsync();
        await s.Client.CallResultAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoVinReported"));
    }

    [Test]
    public async Task Row19_evidence_ages_out_of_the_window()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r19age", new() { ["evidenceWindowMinutes"] = 10 });
        await s.PresentAllEvidenceAsync();
        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        Assert.That((await s.LatestDecisionAsync()).GetProperty("reason").GetString(), Is.EqualTo("NoVinReported"));
    }

    [Test]
    public async Task Row20_auto_start_sends_remote_start_with_the_identified_drivers_tag()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r20", new() { ["autoStart"] = true });
        await s.PresentAllEvidenceAsync();
        var remoteStart = await s.Client.AnswerServerCallAsync("RemoteStartTransaction", new { status = "Accepted" });
        Assert.That(remoteStart.Payload.GetProperty("idTag").GetString(), Is.EqualTo(s.IdTag));
        Assert.That(remoteStart.Payload.GetProperty("connectorId").GetInt32(), Is.EqualTo(1));
        var decision = await s.LatestDecisionAsync();
        Assert.That(decision.GetProperty("phase").GetString(), Is.EqualTo("RemoteStart"));
        Assert.That(decision.GetProperty("result").GetString(), Is.EqualTo("Accepted"));

        // The charger's own Authorize and StartTransaction then pass the gate.
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));
        var start = await s.StartTransactionAsync();
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Row21_policy_with_a_factor_switched_off_accepts_without_it()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r21", new() { ["requireBiometric"] = false });
        await s.PreVerifyAsync();
        await s.SendVinAsync();
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));
        var decision = await s.LatestDecisionAsync();
        var biometric = decision.GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("factor").GetString() == "biometric");
        Assert.That(biometric.GetProperty("required").GetBoolean(), Is.False);
        Assert.That(biometric.GetProperty("reason").GetString(), Is.EqualTo("NotRequired"));
    }

    [Test]
    public async Task Row22_hardening_configuration_is_pushed_after_boot_and_refusals_are_shown()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "r22", answerHardening: false);
        var expected = new[]
        {
            ("LocalAuthorizeOffline", "false"), ("LocalPreAuthorize", "false"), ("StopTransactionOnInvalidId", "true"),
            ("AuthorizationCacheEnabled", "false"), ("AllowOfflineTxForUnknownId", "false"),
        };
        foreach (var (key, value) in expected)
        {
            var call = await s.Client.NextServerCallAsync();
            Assert.That(call.Action, Is.EqualTo("ChangeConfiguration"));
            Assert.That(call.Payload.GetProperty("key").GetString(), Is.EqualTo(key));
            Assert.That(call.Payload.GetProperty("value").GetString(), Is.EqualTo(value));
            await s.Client.RespondAsync(call, new { status = key == "LocalAuthorizeOffline" ? "Rejected" : "Accepted" });
        }

        await s.Client.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });

        var hardening = await Eventually.UntilAsync(
            async () => (await _server.Api.GetFromJsonAsync<JsonElement>($"/api/chargepoints/{s.ChargePointId}")).GetProperty("offlineHardening"),
            h => h.ValueKind == JsonValueKind.Object && h.GetProperty("settings").GetArrayLength() == 6,
            "the six hardening answers are recorded");
        Assert.That(hardening.GetProperty("bypassPossible").GetBoolean(), Is.True);
        var statuses = hardening.GetProperty("settings").EnumerateArray()
            .ToDictionary(x => x.GetProperty("setting").GetString()!, x => x.GetProperty("status").GetString());
        Assert.That(statuses["LocalAuthorizeOffline"], Is.EqualTo("Rejected"));
        Assert.That(statuses["ClearCache"], Is.EqualTo("Accepted"));
    }

    [TestCase("Deny", "Invalid", "CameraOutage", "CameraOutage")]
    [TestCase("SkipPreVerification", "Accepted", "SkippedCameraOutage", "AcceptedCameraOutage")]
    public async Task Camera_outage_is_decided_by_the_station_policy(string behaviour, string expectedStatus, string factorReason, string decisionReason)
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "out" + behaviour[..4], new() { ["cameraOutage"] = behaviour });
        await s.PostAsync("/api/cameras", new { id = "CAM-out" + behaviour[..4], stationId = s.StationId });
        _server.Clock.Advance(TimeSpan.FromMinutes(16)); // the camera has sent nothing for longer than Authorization:CameraOutageMinutes
        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo(expectedStatus));
        var decision = await s.LatestDecisionAsync();
        var preVerification = decision.GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("factor").GetString() == "preVerification");
        Assert.That(preVerification.GetProperty("reason").GetString(), Is.EqualTo(factorReason));
        Assert.That(decision.GetProperty("reason").GetString(), Is.EqualTo(decisionReason), "the waiver is on the decision itself");
        var station = await _server.GetJsonAsync($"/api/stations/{s.StationId}");
        Assert.That(station.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()),
            behaviour == "Deny" ? Is.Empty : Does.Contain("skipPreVerificationOnCameraOutage"));
    }

    [Test]
    public async Task Charge_point_without_a_station_is_decided_on_its_id_tag_alone()
    {
        await _server.RegisterChargePointAsync("CP-nostation");
        await _server.CreateIdTagAsync("TAG-nostation");
        await using var client = await _server.ConnectAsync("CP-nostation");
        await client.CallResultAsync("BootNotification", new { chargePointVendor = "T", chargePointModel = "M" });
        var authorize = await client.CallResultAsync("Authorize", new { idTag = "TAG-nostation" });
        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(await client.TryNextReplyAsync(TimeSpan.FromMilliseconds(200)), Is.Null);
    }
}
