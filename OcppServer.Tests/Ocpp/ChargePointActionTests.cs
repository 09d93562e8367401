using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>Every charger→server action: a valid payload is answered and stored; an invalid one gets the right CALLERROR.</summary>
public sealed class ChargePointActionTests
{
    private const int HeartbeatInterval = 123;

    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:HeartbeatIntervalSeconds"] = $"{HeartbeatInterval}" });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task BootNotification_is_accepted_and_every_field_is_stored()
    {
        string id = TestIds.Next("BOOT");
        await _server.RegisterChargePointAsync(id);
        await using var client = await _server.ConnectAsync(id);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var boot = await client.CallResultAsync("BootNotification", new
        {
            chargePointVendor = "Vendor-X",
            chargePointModel = "Model-Y",
            chargePointSerialNumber = "CPSN-001",
            chargeBoxSerialNumber = "CBSN-002",
            firmwareVersion = "1.2.3-rc4",
            iccid = "8949000000000000001",
            imsi = "262010000000001",
            meterType = "Meter-Z",
            meterSerialNumber = "MSN-003",
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(boot.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
            Assert.That(boot.GetProperty("interval").GetInt32(), Is.EqualTo(HeartbeatInterval));
            Assert.That(boot.GetProperty("currentTime").GetDateTimeOffset(), Is.GreaterThan(before).And.LessThan(DateTimeOffset.UtcNow.AddSeconds(5)));
        }

        var cp = await _server.GetChargePointAsync(id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cp.GetProperty("vendor").GetString(), Is.EqualTo("Vendor-X"));
            Assert.That(cp.GetProperty("model").GetString(), Is.EqualTo("Model-Y"));
            Assert.That(cp.GetProperty("chargePointSerialNumber").GetString(), Is.EqualTo("CPSN-001"));
            Assert.That(cp.GetProperty("chargeBoxSerialNumber").GetString(), Is.EqualTo("CBSN-002"));
            Assert.That(cp.GetProperty("firmwareVersion").GetString(), Is.EqualTo("1.2.3-rc4"));
            Assert.That(cp.GetProperty("iccid").GetString(), Is.EqualTo("8949000000000000001"));
            Assert.That(cp.GetProperty("imsi").GetString(), Is.EqualTo("262010000000001"));
            Assert.That(cp.GetProperty("meterType").GetString(), Is.EqualTo("Meter-Z"));
            Assert.That(cp.GetProperty("meterSerialNumber").GetString(), Is.EqualTo("MSN-003"));
            Assert.That(cp.GetProperty("lastBootAt").GetString(), Is.EqualTo(boot.GetProperty("currentTime").GetString()));
            Assert.That(cp.GetProperty("connected").GetBoolean(), Is.True);
            Assert.That(cp.GetProperty("registrationStatus").GetString(), Is.EqualTo("Accepted"));
        }
    }

    [Test]
    public async Task Heartbeat_answers_the_time_and_stores_it_as_last_heartbeat()
    {
        string id = TestIds.Next("HB");
        await using var client = await _server.ConnectBootedAsync(id);
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("lastHeartbeatAt").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var heartbeat = await client.CallResultAsync("Heartbeat", new { });

        string? currentTime = heartbeat.GetProperty("currentTime").GetString();
        Assert.That(currentTime, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"));
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("lastHeartbeatAt").GetString(), Is.EqualTo(currentTime));
    }

    [Test]
    public async Task StatusNotification_stores_the_connector_status_with_every_field()
    {
        string id = TestIds.Next("SN");
        await using var client = await _server.ConnectBootedAsync(id);

        var answer = await client.CallResultAsync("StatusNotification", new
        {
            connectorId = 0, errorCode = "NoError", status = "Available",
        });
        await client.CallResultAsync("StatusNotification", new
        {
            connectorId = 1, errorCode = "GroundFailure", status = "Faulted", info = "RCD tripped",
            timestamp = "2025-03-01T10:00:00.250Z", vendorId = "com.vendor", vendorErrorCode = "E-42",
        });

        Assert.That(answer.EnumerateObject().Count(), Is.Zero, "StatusNotification.conf is empty");
        var connectors = (await _server.GetChargePointAsync(id)).GetProperty("connectors");
        Assert.That(connectors.GetArrayLength(), Is.EqualTo(2));
        var c0 = connectors[0];
        var c1 = connectors[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(c0.GetProperty("connectorId").GetInt32(), Is.Zero);
            Assert.That(c0.GetProperty("status").GetString(), Is.EqualTo("Available"));
            Assert.That(c0.GetProperty("errorCode").GetString(), Is.EqualTo("NoError"));
            Assert.That(c0.GetProperty("timestamp").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(c1.GetProperty("connectorId").GetInt32(), Is.EqualTo(1));
            Assert.That(c1.GetProperty("status").GetString(), Is.EqualTo("Faulted"));
            Assert.That(c1.GetProperty("errorCode").GetString(), Is.EqualTo("GroundFailure"));
            Assert.That(c1.GetProperty("info").GetString(), Is.EqualTo("RCD tripped"));
            Assert.That(c1.GetProperty("vendorId").GetString(), Is.EqualTo("com.vendor"));
            Assert.That(c1.GetProperty("vendorErrorCode").GetString(), Is.EqualTo("E-42"));
            Assert.That(c1.GetProperty("timestamp").GetString(), Is.EqualTo("2025-03-01T10:00:00.250Z"));
        }
    }

    [Test]
    public async Task StatusNotification_replaces_the_previous_status_of_the_connector()
    {
        string id = TestIds.Next("SN");
        await using var client = await _server.ConnectBootedAsync(id);

        await client.CallResultAsync("StatusNotification", new { connectorId = 2, errorCode = "NoError", status = "Preparing", info = "plugged" });
        await client.CallResultAsync("StatusNotification", new { connectorId = 2, errorCode = "NoError", status = "Charging" });

        var connectors = (await _server.GetChargePointAsync(id)).GetProperty("connectors");
        Assert.That(connectors.GetArrayLength(), Is.EqualTo(1));
        Assert.That(connectors[0].GetProperty("status").GetString(), Is.EqualTo("Charging"));
        Assert.That(connectors[0].GetProperty("info").ValueKind, Is.EqualTo(JsonValueKind.Null), "info of the earlier status is not kept");
        var history = await _server.QueryDatabaseAsync(
            "SELECT status FROM status_history WHERE charge_point_id = @id ORDER BY id", ("@id", id));
        Assert.That(history.Select(r => r["status"]), Is.EqualTo(new[] { "Preparing", "Charging" }));
    }

    [Test]
    public async Task Authorize_answers_from_the_id_tag_table()
    {
        string id = TestIds.Next("AUTH");
        string tag = TestIds.Next("AT");
        string parent = TestIds.Next("AP");
        var expiry = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await _server.CreateIdTagAsync(parent); // the tag's group: a tag of an unregistered group is Invalid
        await _server.CreateIdTagAsync(tag, expiryDate: expiry, parentIdTag: parent);
        await using var client = await _server.ConnectBootedAsync(id);

        var known = await client.CallResultAsync("Authorize", new { idTag = tag });
        var unknown = await client.CallResultAsync("Authorize", new { idTag = TestIds.Next("NOPE") });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(known.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
            Assert.That(known.GetProperty("idTagInfo").GetProperty("parentIdTag").GetString(), Is.EqualTo(parent));
            Assert.That(known.GetProperty("idTagInfo").GetProperty("expiryDate").GetString(), Is.EqualTo("2099-01-02T03:04:05.000Z"));
            Assert.That(unknown.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
            Assert.That(unknown.GetProperty("idTagInfo").TryGetProperty("parentIdTag", out _), Is.False);
        }
    }

    [Test]
    public async Task DataTransfer_for_an_unknown_vendor_is_answered_and_stored()
    {
        string id = TestIds.Next("DT");
        await using var client = await _server.ConnectBootedAsync(id);

        var answer = await client.CallResultAsync("DataTransfer", new { vendorId = "com.unknown-vendor", messageId = "Ping", data = "{\"n\":1}" });

        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("UnknownVendorId"));
        var rows = await _server.QueryDatabaseAsync(
            "SELECT vendor_id, message_id, data, status FROM data_transfers WHERE charge_point_id = @id", ("@id", id));
        Assert.That(rows, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows[0]["vendor_id"], Is.EqualTo("com.unknown-vendor"));
            Assert.That(rows[0]["message_id"], Is.EqualTo("Ping"));
            Assert.That(rows[0]["data"], Is.EqualTo("{\"n\":1}"));
            Assert.That(rows[0]["status"], Is.EqualTo("UnknownVendorId"));
        }
    }

    [Test]
    public async Task FirmwareStatusNotification_updates_the_firmware_status()
    {
        string id = TestIds.Next("FW");
        await using var client = await _server.ConnectBootedAsync(id);

        var answer = await client.CallResultAsync("FirmwareStatusNotification", new { status = "Downloading" });
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("firmwareStatus").GetString(), Is.EqualTo("Downloading"));
        await client.CallResultAsync("FirmwareStatusNotification", new { status = "Installed" });

        Assert.That(answer.EnumerateObject().Count(), Is.Zero);
        var cp = await _server.GetChargePointAsync(id);
        Assert.That(cp.GetProperty("firmwareStatus").GetString(), Is.EqualTo("Installed"));
        Assert.That(cp.GetProperty("diagnosticsStatus").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task DiagnosticsStatusNotification_updates_the_diagnostics_status()
    {
        string id = TestIds.Next("DIAG");
        await using var client = await _server.ConnectBootedAsync(id);

        var answer = await client.CallResultAsync("DiagnosticsStatusNotification", new { status = "Uploaded" });

        Assert.That(answer.EnumerateObject().Count(), Is.Zero);
        var cp = await _server.GetChargePointAsync(id);
        Assert.That(cp.GetProperty("diagnosticsStatus").GetString(), Is.EqualTo("Uploaded"));
        Assert.That(cp.GetProperty("firmwareStatus").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task StartTransaction_is_stored_with_every_field()
    {
        string id = TestIds.Next("START");
        string tag = TestIds.Next("ST");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);

        var answer = await client.CallResultAsync("StartTransaction", new
        {
            connectorId = 2, idTag = tag, meterStart = 1234, reservationId = 77, timestamp = "2025-04-05T06:07:08.900Z",
        });

        int transactionId = answer.GetProperty("transactionId").GetInt32();
        Assert.That(transactionId, Is.Positive);
        Assert.That(answer.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var tx = await _server.GetJsonAsync($"/api/transactions/{transactionId}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tx.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId));
            Assert.That(tx.GetProperty("chargePointId").GetString(), Is.EqualTo(id));
            Assert.That(tx.GetProperty("connectorId").GetInt32(), Is.EqualTo(2));
            Assert.That(tx.GetProperty("idTag").GetString(), Is.EqualTo(tag));
            Assert.That(tx.GetProperty("meterStart").GetInt32(), Is.EqualTo(1234));
            Assert.That(tx.GetProperty("reservationId").GetInt32(), Is.EqualTo(77));
            Assert.That(tx.GetProperty("startTimestamp").GetString(), Is.EqualTo("2025-04-05T06:07:08.900Z"));
            Assert.That(tx.GetProperty("startStatus").GetString(), Is.EqualTo("Accepted"));
            Assert.That(tx.GetProperty("meterStop").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }
    }

    [Test]
    public async Task MeterValues_are_stored_with_every_sampled_value_field()
    {
        string id = TestIds.Next("MV");
        string tag = TestIds.Next("MT");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);
        int transactionId = (await client.CallResultAsync("StartTransaction", new
        {
            connectorId = 1, idTag = tag, meterStart = 0, timestamp = "2025-05-01T12:00:00.000Z",
        })).GetProperty("transactionId").GetInt32();

        var answer = await client.CallResultAsync("MeterValues", new
        {
            connectorId = 1,
            transactionId,
            meterValue = new object[]
            {
                new
                {
                    timestamp = "2025-05-01T12:05:00.000Z",
                    sampledValue = new object[]
                    {
                        new
                        {
                            value = "1500.5", context = "Sample.Periodic", format = "Raw", measurand = "Energy.Active.Import.Register",
                            phase = "L1-N", location = "Outlet", unit = "Wh",
                        },
                        new { value = "231" },
                    },
                },
                new
                {
                    timestamp = "2025-05-01T12:10:00.000Z",
                    sampledValue = new object[] { new { value = "AB12CD", format = "SignedData", context = "Sample.Clock", measurand = "Voltage", phase = "L2", location = "Inlet", unit = "V" } },
                },
            },
        });

        Assert.That(answer.EnumerateObject().Count(), Is.Zero);
        var list = await _server.GetJsonAsync($"/api/transactions?chargePointId={id}");
        Assert.That(list.GetArrayLength(), Is.EqualTo(1));
        var values = list[0].GetProperty("meterValues");
        Assert.That(values.GetArrayLength(), Is.EqualTo(3));
        using (Assert.EnterMultipleScope())
        {
            var full = values[0];
            Assert.That(full.GetProperty("timestamp").GetString(), Is.EqualTo("2025-05-01T12:05:00.000Z"));
            Assert.That(full.GetProperty("value").GetString(), Is.EqualTo("1500.5"));
            Assert.That(full.GetProperty("context").GetString(), Is.EqualTo("Sample.Periodic"));
            Assert.That(full.GetProperty("format").GetString(), Is.EqualTo("Raw"));
            Assert.That(full.GetProperty("measurand").GetString(), Is.EqualTo("Energy.Active.Import.Register"));
            Assert.That(full.GetProperty("phase").GetString(), Is.EqualTo("L1-N"));
            Assert.That(full.GetProperty("location").GetString(), Is.EqualTo("Outlet"));
            Assert.That(full.GetProperty("unit").GetString(), Is.EqualTo("Wh"));
            Assert.That(full.GetProperty("source").GetString(), Is.EqualTo("MeterValues"));

            var minimal = values[1];
            Assert.That(minimal.GetProperty("timestamp").GetString(), Is.EqualTo("2025-05-01T12:05:00.000Z"));
            Assert.That(minimal.GetProperty("value").GetString(), Is.EqualTo("231"));
            Assert.That(minimal.GetProperty("measurand").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(minimal.GetProperty("unit").ValueKind, Is.EqualTo(JsonValueKind.Null));

            var signed = values[2];
            Assert.That(signed.GetProperty("timestamp").GetString(), Is.EqualTo("2025-05-01T12:10:00.000Z"));
            Assert.That(signed.GetProperty("value").GetString(), Is.EqualTo("AB12CD"));
            Assert.That(signed.GetProperty("format").GetString(), Is.EqualTo("SignedData"));
            Assert.That(signed.GetProperty("context").GetString(), Is.EqualTo("Sample.Clock"));
            Assert.That(signed.GetProperty("measurand").GetString(), Is.EqualTo("Voltage"));
            Assert.That(signed.GetProperty("phase").GetString(), Is.EqualTo("L2"));
            Assert.That(signed.GetProperty("location").GetString(), Is.EqualTo("Inlet"));
            Assert.That(signed.GetProperty("unit").GetString(), Is.EqualTo("V"));
        }
    }

    [Test]
    public async Task MeterValues_without_a_transaction_are_stored_for_the_connector()
    {
        string id = TestIds.Next("MV");
        await using var client = await _server.ConnectBootedAsync(id);

        await client.CallResultAsync("MeterValues", new
        {
            connectorId = 0,
            meterValue = new object[] { new { timestamp = "2025-05-02T00:00:00.000Z", sampledValue = new object[] { new { value = "49.98", measurand = "Frequency" } } } },
        });

        var rows = await _server.QueryDatabaseAsync(
            "SELECT connector_id, transaction_id, value, measurand, source FROM meter_values WHERE charge_point_id = @id", ("@id", id));
        Assert.That(rows, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows[0]["connector_id"], Is.EqualTo(0L));
            Assert.That(rows[0]["transaction_id"], Is.Null);
            Assert.That(rows[0]["value"], Is.EqualTo("49.98"));
            Assert.That(rows[0]["measurand"], Is.EqualTo("Frequency"));
            Assert.That(rows[0]["source"], Is.EqualTo("MeterValues"));
        }
    }

    [Test]
    public async Task StopTransaction_is_stored_with_its_transaction_data()
    {
        string id = TestIds.Next("STOP");
        string tag = TestIds.Next("SP");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);
        int transactionId = (await client.CallResultAsync("StartTransaction", new
        {
            connectorId = 1, idTag = tag, meterStart = 100, timestamp = "2025-06-01T08:00:00.000Z",
        })).GetProperty("transactionId").GetInt32();

        var answer = await client.CallResultAsync("StopTransaction", new
        {
            transactionId, meterStop = 5100, timestamp = "2025-06-01T09:30:00.000Z", idTag = tag, reason = "EVDisconnected",
            transactionData = new object[]
            {
                new
                {
                    timestamp = "2025-06-01T09:30:00.000Z",
                    sampledValue = new object[] { new { value = "5100", context = "Transaction.End", measurand = "Energy.Active.Import.Register", unit = "Wh", location = "Outlet" } },
                },
            },
        });

        Assert.That(answer.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        var tx = await _server.GetJsonAsync($"/api/transactions/{transactionId}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tx.GetProperty("meterStop").GetInt32(), Is.EqualTo(5100));
            Assert.That(tx.GetProperty("stopTimestamp").GetString(), Is.EqualTo("2025-06-01T09:30:00.000Z"));
            Assert.That(tx.GetProperty("stopReason").GetString(), Is.EqualTo("EVDisconnected"));
            Assert.That(tx.GetProperty("stopIdTag").GetString(), Is.EqualTo(tag));
            Assert.That(tx.GetProperty("meterValues").GetArrayLength(), Is.EqualTo(1));
            var value = tx.GetProperty("meterValues")[0];
            Assert.That(value.GetProperty("value").GetString(), Is.EqualTo("5100"));
            Assert.That(value.GetProperty("context").GetString(), Is.EqualTo("Transaction.End"));
            Assert.That(value.GetProperty("location").GetString(), Is.EqualTo("Outlet"));
            Assert.That(value.GetProperty("source").GetString(), Is.EqualTo("StopTransaction"));
        }
    }

    [Test]
    public async Task StopTransaction_without_idTag_answers_without_idTagInfo()
    {
        string id = TestIds.Next("STOP");
        string tag = TestIds.Next("SP");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);
        int transactionId = (await client.CallResultAsync("StartTransaction", new
        {
            connectorId = 1, idTag = tag, meterStart = 0, timestamp = "2025-06-02T08:00:00.000Z",
        })).GetProperty("transactionId").GetInt32();

        var answer = await client.CallResultAsync("StopTransaction", new { transactionId, meterStop = 10, timestamp = "2025-06-02T08:10:00.000Z" });

        Assert.That(answer.TryGetProperty("idTagInfo", out _), Is.False);
        Assert.That((await _server.GetJsonAsync($"/api/transactions/{transactionId}")).GetProperty("meterStop").GetInt32(), Is.EqualTo(10));
    }

    private static IEnumerable<TestCaseData> InvalidPayloads()
    {
        yield return new TestCaseData("Authorize", """{}""", "OccurenceConstraintViolation").SetName("Authorize without idTag");
        yield return new TestCaseData("BootNotification", """{"chargePointVendor":"V"}""", "OccurenceConstraintViolation").SetName("BootNotification without model");
        yield return new TestCaseData("BootNotification", """{"chargePointVendor":"V","chargePointModel":"123456789012345678901"}""", "PropertyConstraintViolation").SetName("BootNotification model too long");
        yield return new TestCaseData("DataTransfer", """{"vendorId":5}""", "TypeConstraintViolation").SetName("DataTransfer vendorId a number");
        yield return new TestCaseData("DiagnosticsStatusNotification", """{"status":"Exploded"}""", "PropertyConstraintViolation").SetName("DiagnosticsStatusNotification status not in enum");
        yield return new TestCaseData("FirmwareStatusNotification", """{"status":"Flashing"}""", "PropertyConstraintViolation").SetName("FirmwareStatusNotification status not in enum");
        yield return new TestCaseData("Heartbeat", """{"extra":true}""", "FormationViolation").SetName("Heartbeat with an unknown property");
        yield return new TestCaseData("MeterValues", """{"connectorId":1,"meterValue":[]}""", "OccurenceConstraintViolation").SetName("MeterValues with no meter value");
        yield return new TestCaseData("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"yesterday"}""", "PropertyConstraintViolation").SetName("StartTransaction timestamp not a date-time");
        yield return new TestCaseData("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":3000000000,"timestamp":"2025-01-01T00:00:00Z"}""", "PropertyConstraintViolation").SetName("StartTransaction meterStart beyond int32");
        yield return new TestCaseData("StatusNotification", """{"connectorId":"1","errorCode":"NoError","status":"Available"}""", "TypeConstraintViolation").SetName("StatusNotification connectorId a string");
        yield return new TestCaseData("StopTransaction", """{"meterStop":10,"timestamp":"2025-01-01T00:00:00Z","transactionId":3000000000}""", "PropertyConstraintViolation").SetName("StopTransaction transactionId beyond int32");
        yield return new TestCaseData("StopTransaction", """{"meterStop":10,"timestamp":"2025-01-01T00:00:00Z"}""", "OccurenceConstraintViolation").SetName("StopTransaction without transactionId");
    }

    [TestCaseSource(nameof(InvalidPayloads))]
    public async Task Invalid_payload_is_answered_with(string action, string payload, string expectedCode)
    {
        string id = TestIds.Next("INV");
        await using var client = await _server.ConnectBootedAsync(id);

        await client.SendRawAsync($$"""[2,"bad-1","{{action}}",{{payload}}]""");
        var reply = await client.NextReplyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.MessageType, Is.EqualTo(4), reply.Text);
            Assert.That(reply.UniqueId, Is.EqualTo("bad-1"));
            Assert.That(reply.ErrorCode, Is.EqualTo(expectedCode), reply.Text);
            Assert.That(reply.ErrorDescription, Is.Not.Empty);
            Assert.That(reply.Payload.ValueKind, Is.EqualTo(JsonValueKind.Object), "errorDetails is an object");
        }

        await client.AssertUsableAsync();
        var stored = await _server.QueryDatabaseAsync(
            """
            SELECT (SELECT COUNT(*) FROM transactions WHERE charge_point_id = @id)
                 + (SELECT COUNT(*) FROM meter_values WHERE charge_point_id = @id)
                 + (SELECT COUNT(*) FROM connectors WHERE charge_point_id = @id)
                 + (SELECT COUNT(*) FROM data_transfers WHERE charge_point_id = @id)
                 + (SELECT COUNT(*) FROM unmatched_stop_transactions WHERE charge_point_id = @id)
                 + (SELECT COUNT(*) FROM boot_history WHERE charge_point_id = @id) AS n
            """, ("@id", id));
        Assert.That(stored[0]["n"], Is.EqualTo(1L), "nothing stored beyond the one valid BootNotification");
    }
}
