using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary><c>POST /api/chargepoints/{id}/commands/{action}</c>: every server→charger action end to end, and each failure status.</summary>
public sealed class CommandsApiTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static void AssertSameJson(JsonElement actual, string expected) =>
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(actual.GetRawText()), JsonNode.Parse(expected)), Is.True,
            $"expected {expected}{Environment.NewLine}but was {actual.GetRawText()}");

    /// <summary>Waits for the CALL the API request should cause; fails with the API's answer if it ends first.</summary>
    private static async Task<ReceivedFrame> ExpectServerCallAsync(OcppTestClient client, Task<ApiResponse> api)
    {
        var call = client.NextServerCallAsync();
        if (await Task.WhenAny(call, api) == api && !call.IsCompleted)
        {
            var response = await api;
            Assert.Fail($"API answered {(int)response.Status} before the charger got a CALL: {response.Text}");
        }

        return await call;
    }

    private const string ChargingProfile =
        """
        {"chargingProfileId":12,"stackLevel":1,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",
         "validFrom":"2030-01-01T00:00:00Z","validTo":"2030-01-02T00:00:00Z","transactionId":17,
         "chargingSchedule":{"duration":7200,"startSchedule":"2030-01-01T00:00:00Z","chargingRateUnit":"A","minChargingRate":6.5,
           "chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":3},{"startPeriod":3600,"limit":10}]}}
        """;

    private static IEnumerable<TestCaseData> Commands()
    {
        TestCaseData Case(string action, string request, string response) => new TestCaseData(action, request, response).SetName($"{action} round trip");

        yield return Case("CancelReservation", """{"reservationId":42}""", """{"status":"Accepted"}""");
        yield return Case("ChangeAvailability", """{"connectorId":1,"type":"Inoperative"}""", """{"status":"Scheduled"}""");
        yield return Case("ChangeConfiguration", """{"key":"HeartbeatInterval","value":"120"}""", """{"status":"RebootRequired"}""");
        yield return Case("ClearCache", """{}""", """{"status":"Rejected"}""");
        yield return Case("ClearChargingProfile", """{"id":12,"connectorId":1,"chargingProfilePurpose":"TxProfile","stackLevel":1}""", """{"status":"Unknown"}""");
        yield return Case("GetCompositeSchedule", """{"connectorId":1,"duration":3600,"chargingRateUnit":"W"}""",
            """{"status":"Accepted","connectorId":1,"scheduleStart":"2030-01-01T00:00:00Z","chargingSchedule":{"duration":3600,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":11000,"numberPhases":3}]}}""");
        yield return Case("GetConfiguration", """{"key":["HeartbeatInterval","NoSuchKey"]}""",
            """{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"}],"unknownKey":["NoSuchKey"]}""");
        yield return Case("GetDiagnostics", """{"location":"ftp://diag.example.com/upload","retries":3,"retryInterval":60,"startTime":"2030-01-01T00:00:00Z","stopTime":"2030-01-02T00:00:00Z"}""",
            """{"fileName":"diagnostics-2030-01-01.zip"}""");
        yield return Case("GetLocalListVersion", """{}""", """{"listVersion":5}""");
        yield return Case("RemoteStartTransaction", $$"""{"connectorId":1,"idTag":"REMOTE-TAG","chargingProfile":{{ChargingProfile}}}""", """{"status":"Accepted"}""");
        yield return Case("RemoteStopTransaction", """{"transactionId":17}""", """{"status":"Rejected"}""");
        yield return Case("ReserveNow", """{"connectorId":1,"expiryDate":"2030-01-01T01:00:00Z","idTag":"RES-TAG","parentIdTag":"RES-PARENT","reservationId":42}""", """{"status":"Occupied"}""");
        yield return Case("Reset", """{"type":"Soft"}""", """{"status":"Accepted"}""");
        yield return Case("SendLocalList",
            """{"listVersion":6,"updateType":"Full","localAuthorizationList":[{"idTag":"LOCAL-1","idTagInfo":{"status":"Accepted","expiryDate":"2030-01-01T00:00:00Z","parentIdTag":"LOCAL-P"}},{"idTag":"LOCAL-2"}]}""",
            """{"status":"VersionMismatch"}""");
        yield return Case("SetChargingProfile", $$"""{"connectorId":1,"csChargingProfiles":{{ChargingProfile}}}""", """{"status":"NotSupported"}""");
        yield return Case("TriggerMessage", """{"requestedMessage":"StatusNotification","connectorId":1}""", """{"status":"NotImplemented"}""");
        yield return Case("UnlockConnector", """{"connectorId":1}""", """{"status":"UnlockFailed"}""");
        yield return Case("UpdateFirmware", """{"location":"https://fw.example.com/fw-2.0.bin","retries":2,"retrieveDate":"2030-01-01T00:00:00Z","retryInterval":30}""", """{}""");

        // OCPP 1.6 security whitepaper (edition 3).
        const string hash = """{"hashAlgorithm":"SHA256","issuerNameHash":"8f4dbd8a","issuerKeyHash":"1b2c3d4e","serialNumber":"1a2b3c"}""";
        yield return Case("CertificateSigned", """{"certificateChain":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}""", """{"status":"Rejected"}""");
        yield return Case("InstallCertificate", """{"certificateType":"ManufacturerRootCertificate","certificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}""",
            """{"status":"Accepted"}""");
        yield return Case("DeleteCertificate", $$"""{"certificateHashData":{{hash}}}""", """{"status":"NotFound"}""");
        yield return Case("GetInstalledCertificateIds", """{"certificateType":"CentralSystemRootCertificate"}""", $$"""{"status":"Accepted","certificateHashData":[{{hash}}]}""");
        yield return Case("ExtendedTriggerMessage", """{"requestedMessage":"SignChargePointCertificate"}""", """{"status":"Accepted"}""");
        yield return Case("SignedUpdateFirmware",
            """{"requestId":7,"retries":1,"retryInterval":30,"firmware":{"location":"https://fw.example.com/fw-2.0.bin","retrieveDateTime":"2030-01-01T00:00:00Z","installDateTime":"2030-01-01T01:00:00Z","signingCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n","signature":"MEUCIQ=="}}""",
            """{"status":"InvalidCertificate"}""");
        yield return Case("GetLog", """{"logType":"SecurityLog","requestId":8,"log":{"remoteLocation":"https://logs.example.com/upload","oldestTimestamp":"2030-01-01T00:00:00Z"}}""",
            """{"status":"Accepted","filename":"security.log"}""");

        // DataTransfer goes both ways; the server may send it too.
        yield return Case("DataTransfer", """{"vendorId":"com.example","messageId":"Ping","data":"hello"}""", """{"status":"Accepted","data":"pong"}""");
    }

    [TestCaseSource(nameof(Commands))]
    public async Task Command_is_sent_to_the_charger_and_its_answer_returned(string action, string request, string response)
    {
        string id = TestIds.Next("CMD");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, action, request);
        var call = await ExpectServerCallAsync(client, api);
        Assert.That(call.Action, Is.EqualTo(action));
        AssertSameJson(call.Payload, request);
        await client.RespondAsync(call, JsonDocument.Parse(response).RootElement);

        var result = await api;
        AssertSameJson(result.AssertStatus(HttpStatusCode.OK), response);
        Assert.That(result.ContentType, Is.EqualTo("application/json"));

        var recorded = await _server.QueryDatabaseAsync(
            "SELECT action, outcome, request, response FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(recorded, Has.Count.EqualTo(1));
        Assert.That((recorded[0]["action"], recorded[0]["outcome"]), Is.EqualTo((action, "Completed")));
        AssertSameJson(JsonDocument.Parse((string)recorded[0]["request"]!).RootElement, request);
        AssertSameJson(JsonDocument.Parse((string)recorded[0]["response"]!).RootElement, response);
    }

    [TestCase("AuthorizationKey")]
    [TestCase("authorizationkey")]
    public async Task A_new_authorization_key_reaches_the_charger_but_is_not_recorded(string key)
    {
        const string password = "0123456789abcdef0123456789abcdef";
        string id = TestIds.Next("AUTHKEY");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "ChangeConfiguration", $$"""{"key":"{{key}}","value":"{{password}}"}""");
        var call = await ExpectServerCallAsync(client, api);
        Assert.That(call.Payload.GetProperty("value").GetString(), Is.EqualTo(password), "the charger gets the key itself");
        await client.RespondAsync(call, JsonDocument.Parse("""{"status":"Accepted"}""").RootElement);
        (await api).AssertStatus(HttpStatusCode.OK);

        var recorded = await _server.QueryDatabaseAsync("SELECT request FROM commands WHERE charge_point_id = @id", ("@id", id));
        // Sent (and recorded) under the key's name as the whitepaper spells it, whatever the operator's letter case.
        AssertSameJson(JsonDocument.Parse((string)recorded.Single()["request"]!).RootElement, """{"key":"AuthorizationKey","value":"[redacted]"}""");
    }

    [Test]
    public async Task An_authorization_key_a_charger_reveals_in_its_configuration_is_neither_recorded_nor_passed_on()
    {
        string id = TestIds.Next("LEAKY");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "GetConfiguration", "{}");
        var call = await ExpectServerCallAsync(client, api);
        await client.RespondAsync(call, JsonDocument.Parse(
            """{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"0123456789abcdef"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""").RootElement);
        AssertSameJson((await api).AssertStatus(HttpStatusCode.OK),
            """{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"[redacted]"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""");

        var recorded = await _server.QueryDatabaseAsync("SELECT response FROM commands WHERE charge_point_id = @id", ("@id", id));
        AssertSameJson(JsonDocument.Parse((string)recorded.Single()["response"]!).RootElement,
            """{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"[redacted]"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""");
    }

    [Test]
    public async Task Unregistered_charge_point_is_404()
    {
        var response = await _server.SendCommandAsync(TestIds.Next("NOSUCH"), "Reset", """{"type":"Soft"}""");

        Assert.That(response.AssertProblem(HttpStatusCode.NotFound).GetProperty("title").GetString(), Does.Contain("not registered"));
    }

    [Test]
    public async Task Registered_charge_point_that_never_connected_is_409()
    {
        string id = TestIds.Next("OFFLINE");
        await _server.RegisterChargePointAsync(id);

        var response = await _server.SendCommandAsync(id, "Reset", """{"type":"Soft"}""");

        Assert.That(response.AssertProblem(HttpStatusCode.Conflict).GetProperty("title").GetString(), Does.Contain("not connected"));
    }

    [Test]
    public async Task Charge_point_that_disconnected_is_409()
    {
        string id = TestIds.Next("GONE");
        await using (var client = await _server.ConnectBootedAsync(id))
        {
            await client.CloseAsync();
        }

        await Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), c => !c, "the server notices the close");

        (await _server.SendCommandAsync(id, "Reset", """{"type":"Soft"}""")).AssertProblem(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Call_error_from_the_charger_is_502_with_its_code()
    {
        string id = TestIds.Next("CALLERR");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "UnlockConnector", """{"connectorId":2}""");
        var call = await ExpectServerCallAsync(client, api);
        await client.RespondErrorAsync(call, "NotSupported", "no lock on this connector");

        var problem = (await api).AssertProblem(HttpStatusCode.BadGateway);
        Assert.That(problem.GetProperty("ocppErrorCode").GetString(), Is.EqualTo("NotSupported"));
        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("no lock on this connector"));
        var recorded = await _server.QueryDatabaseAsync("SELECT outcome, error_code FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That((recorded[0]["outcome"], recorded[0]["error_code"]), Is.EqualTo(("CallError", "NotSupported")));
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Answer_that_violates_the_response_schema_is_502()
    {
        string id = TestIds.Next("BADANS");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "Reset", """{"type":"Hard"}""");
        var call = await ExpectServerCallAsync(client, api);
        await client.RespondAsync(call, new { status = "Maybe" });

        (await api).AssertProblem(HttpStatusCode.BadGateway);
        var recorded = await _server.QueryDatabaseAsync("SELECT outcome FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(recorded[0]["outcome"], Is.EqualTo("InvalidResponse"));
    }

    [TestCase("Reset", """{"type":"Medium"}""", TestName = "Payload with a value not in the enum is 400")]
    [TestCase("Reset", """{}""", TestName = "Payload without a required field is 400")]
    [TestCase("Reset", """{"type":"Soft","when":"now"}""", TestName = "Payload with an unknown property is 400")]
    [TestCase("UnlockConnector", """{"connectorId":"1"}""", TestName = "Payload with a wrong type is 400")]
    [TestCase("ChangeConfiguration", """{"key":"K","value":5}""", TestName = "Payload with a number for a string is 400")]
    [TestCase("Reset", """["Soft"]""", TestName = "Payload that is not an object is 400")]
    public async Task Payload_that_violates_the_schema_is_400_and_never_sent(string action, string payload)
    {
        string id = TestIds.Next("BADREQ");
        await using var client = await _server.ConnectBootedAsync(id);

        var problem = (await _server.SendCommandAsync(id, action, payload)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("title").GetString(), Does.Contain(action));

        // The next CALL the charger sees is the valid command sent afterwards.
        var api = _server.SendCommandAsync(id, "ClearCache", "{}");
        var call = await ExpectServerCallAsync(client, api);
        Assert.That(call.Action, Is.EqualTo("ClearCache"));
        await client.RespondAsync(call, new { status = "Accepted" });
        (await api).AssertStatus(HttpStatusCode.OK);
    }

    [TestCase("FooBar", TestName = "Unknown action is 404")]
    [TestCase("Heartbeat", TestName = "Charger-to-server action is 404")]
    [TestCase("reset", TestName = "Action names are case-sensitive: reset is 404")]
    public async Task Action_that_is_not_a_central_system_command_is_404(string action)
    {
        string id = TestIds.Next("NOACT");
        await using var client = await _server.ConnectBootedAsync(id);

        (await _server.SendCommandAsync(id, action, "{}")).AssertProblem(HttpStatusCode.NotFound);

        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(100)), Is.Null);
    }

    [Test]
    public async Task Malformed_json_body_is_400_problem_details()
    {
        string id = TestIds.Next("BADJSON");
        await _server.RegisterChargePointAsync(id);

        var problem = (await _server.SendCommandAsync(id, "Reset", """{"type":""")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("JSON"));
    }

    [Test]
    public async Task Command_without_api_key_is_401_and_never_sent()
    {
        string id = TestIds.Next("NOKEY");
        await using var client = await _server.ConnectBootedAsync(id);
        using var anonymous = new HttpClient { BaseAddress = _server.BaseUri };

        var response = await ApiResponse.ReadAsync(await anonymous.PostAsync(
            $"/api/chargepoints/{id}/commands/Reset", new StringContent("""{"type":"Hard"}""", System.Text.Encoding.UTF8, "application/json")));

        response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromMilliseconds(200)), Is.Null);
        var recorded = await _server.QueryDatabaseAsync("SELECT COUNT(*) AS n FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(recorded[0]["n"], Is.EqualTo(0L));
    }
}
