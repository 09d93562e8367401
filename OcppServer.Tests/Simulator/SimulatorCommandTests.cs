using System.Text.Json;
using ChargePointSimulator.Charger;
using OcppServer.ChargePoints;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>The charger's answers to central-system commands, sent through the API (which checks them against the schemas).</summary>
public sealed class SimulatorCommandTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _server = await TestServer.StartAsync();
        foreach (string tag in new[] { "CMD-AVAIL", "CMD-SMART", "CMD-MISC" })
        {
            await _server.CreateIdTagAsync(tag);
        }
    }

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    public async Task ChangeConfiguration_and_GetConfiguration_keep_a_real_key_store()
    {
        await using var simulated = await SimulatedChargePoint.StartAsync(_server, "SIM-CONFIG");

        Assert.Multiple(async () =>
        {
            Assert.That((await Change("MeterValueSampleInterval", "15")).Status(), Is.EqualTo("Accepted"));
            Assert.That((await Change("NumberOfConnectors", "4")).Status(), Is.EqualTo("Rejected"), "read-only");
            Assert.That((await Change("MeterValueSampleInterval", "soon")).Status(), Is.EqualTo("Rejected"), "not an integer");
            Assert.That((await Change("MeterValuesSampledData", "Energy.Active.Import.Register,Bogus")).Status(), Is.EqualTo("Rejected"));
            Assert.That((await Change("WebSocketPingInterval", "30")).Status(), Is.EqualTo("RebootRequired"));
            Assert.That((await Change("NoSuchKey", "1")).Status(), Is.EqualTo("NotSupported"));
        });

        var read = await _server.CommandAsync("SIM-CONFIG", "GetConfiguration",
            new { key = new[] { "MeterValueSampleInterval", "NumberOfConnectors", "NoSuchKey" } });
        var keys = read.GetProperty("configurationKey").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(keys["MeterValueSampleInterval"].GetProperty("value").GetString(), Is.EqualTo("15"));
            Assert.That(keys["MeterValueSampleInterval"].GetProperty("readonly").GetBoolean(), Is.False);
            Assert.That(keys["NumberOfConnectors"].GetProperty("value").GetString(), Is.EqualTo("2"));
            Assert.That(keys["NumberOfConnectors"].GetProperty("readonly").GetBoolean(), Is.True);
            Assert.That(read.GetProperty("unknownKey").EnumerateArray().Select(k => k.GetString()), Is.EqualTo(new[] { "NoSuchKey" }));
        });

        var all = await _server.CommandAsync("SIM-CONFIG", "GetConfiguration", new { });
        Assert.That(all.GetProperty("configurationKey").EnumerateArray().Select(k => k.GetProperty("key").GetString()),
            Is.SupersetOf(new[] { "HeartbeatInterval", "AuthorizeRemoteTxRequests", "LocalAuthorizeOffline", "StopTxnSampledData", "SupportedFeatureProfiles" }));

        Task<JsonElement> Change(string key, string value) => _server.CommandAsync("SIM-CONFIG", "ChangeConfiguration", new { key, value });
    }

    [Test]
    public async Task TriggerMessage_sends_the_requested_message()
    {
        await using var simulated = await SimulatedChargePoint.StartAsync(_server, "SIM-TRIGGER");
        var before = (await _server.ChargePointAsync("SIM-TRIGGER")).GetProperty("lastHeartbeatAt");
        Assert.That(before.ValueKind, Is.EqualTo(JsonValueKind.Null));

        Assert.That((await _server.CommandAsync("SIM-TRIGGER", "TriggerMessage", new { requestedMessage = "Heartbeat" })).Status(), Is.EqualTo("Accepted"));
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-TRIGGER"),
            cp => cp.GetProperty("lastHeartbeatAt").ValueKind == JsonValueKind.String, "triggered heartbeat stored");

        Assert.That((await _server.CommandAsync("SIM-TRIGGER", "TriggerMessage", new { requestedMessage = "FirmwareStatusNotification" })).Status(),
            Is.EqualTo("Accepted"));
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-TRIGGER"),
            cp => cp.GetProperty("firmwareStatus").GetString() == "Idle", "triggered FirmwareStatusNotification stored");

        Assert.That((await _server.CommandAsync("SIM-TRIGGER", "TriggerMessage", new { requestedMessage = "StatusNotification", connectorId = 7 })).Status(),
            Is.EqualTo("Rejected"), "no connector 7");
    }

    [Test]
    public async Task ChangeAvailability_is_scheduled_during_a_transaction_and_applied_when_it_ends()
    {
        await using var simulated = await SimulatedChargePoint.StartAsync(_server, "SIM-AVAIL");
        var chargePoint = simulated.ChargePoint;
        Assert.That((await _server.CommandAsync("SIM-AVAIL", "ChangeAvailability", new { connectorId = 2, type = "Inoperative" })).Status(), Is.EqualTo("Accepted"));
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-AVAIL"), cp => cp.ConnectorStatus(2) == "Unavailable", "connector 2 Unavailable");

        await chargePoint.PlugInAsync(1);
        await chargePoint.PresentIdTagAsync(1, "CMD-AVAIL");
        Assert.That((await _server.CommandAsync("SIM-AVAIL", "ChangeAvailability", new { connectorId = 1, type = "Inoperative" })).Status(), Is.EqualTo("Scheduled"));
        Assert.That(chargePoint.Connectors()[0].Status, Is.EqualTo(ChargePointSimulator.Ocpp.ChargePointStatus.Charging));
        chargePoint.StopTransaction(1);
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-AVAIL"), cp => cp.ConnectorStatus(1) == "Unavailable", "connector 1 Unavailable after the transaction");

        Assert.That((await _server.CommandAsync("SIM-AVAIL", "ChangeAvailability", new { connectorId = 0, type = "Operative" })).Status(), Is.EqualTo("Accepted"));
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-AVAIL"), cp => cp.ConnectorStatus(2) == "Available", "operative again");
    }

    [Test]
    public async Task Charging_profiles_are_stored_limit_the_power_and_shape_the_composite_schedule()
    {
        await using var simulated = await SimulatedChargePoint.StartAsync(_server, "SIM-SMART");
        var chargePoint = simulated.ChargePoint;
        await chargePoint.PlugInAsync(1, new SimulatedVehicle(maxPowerWatts: 22_000));
        await chargePoint.PresentIdTagAsync(1, "CMD-SMART");
        await Eventually.TrueAsync(() => chargePoint.Connectors()[0].PowerW > 20_000, "charging at 22 kW");

        var profile = new
        {
            connectorId = 1,
            csChargingProfiles = new
            {
                chargingProfileId = 7, stackLevel = 1, chargingProfilePurpose = "TxDefaultProfile", chargingProfileKind = "Relative",
                chargingSchedule = new { chargingRateUnit = "A", chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 10.0 } } },
            },
        };
        Assert.That((await _server.CommandAsync("SIM-SMART", "SetChargingProfile", profile)).Status(), Is.EqualTo("Accepted"));
        Assert.That(chargePoint.Connectors()[0].PowerW, Is.EqualTo(10 * 3 * 230).Within(300), "10 A on three phases");

        var composite = await _server.CommandAsync("SIM-SMART", "GetCompositeSchedule", new { connectorId = 1, duration = 3600, chargingRateUnit = "A" });
        Assert.That(composite.Status(), Is.EqualTo("Accepted"));
        var periods = composite.GetProperty("chargingSchedule").GetProperty("chargingSchedulePeriod").EnumerateArray().ToList();
        Assert.That(periods[0].GetProperty("limit").GetDecimal(), Is.EqualTo(10m));

        var maxProfile = new { connectorId = 1, csChargingProfiles = new
        {
            chargingProfileId = 8, stackLevel = 0, chargingProfilePurpose = "ChargePointMaxProfile", chargingProfileKind = "Relative",
            chargingSchedule = new { chargingRateUnit = "W", chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 5000.0 } } },
        } };
        Assert.That((await _server.CommandAsync("SIM-SMART", "SetChargingProfile", maxProfile)).Status(), Is.EqualTo("Rejected"),
            "ChargePointMaxProfile belongs on connector 0");

        var cleared = await _server.CommandAsync("SIM-SMART", "ClearChargingProfile", new { id = 7 });
        Assert.That(cleared.Status(), Is.EqualTo("Accepted"));
        Assert.That(chargePoint.Connectors()[0].PowerW, Is.GreaterThan(20_000));
        Assert.That((await _server.CommandAsync("SIM-SMART", "ClearChargingProfile", new { id = 7 })).Status(), Is.EqualTo("Unknown"));
    }

    [Test]
    public async Task Reservations_local_list_cache_unlock_and_data_transfer()
    {
        await using var simulated = await SimulatedChargePoint.StartAsync(_server, "SIM-MISC");
        var chargePoint = simulated.ChargePoint;

        var expiry = DateTimeOffset.UtcNow.AddMinutes(5);
        Assert.That((await _server.CommandAsync("SIM-MISC", "ReserveNow", new { connectorId = 2, expiryDate = expiry, idTag = "CMD-MISC", reservationId = 42 })).Status(),
            Is.EqualTo("Accepted"));
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-MISC"), cp => cp.ConnectorStatus(2) == "Reserved", "Reserved");
        Assert.That((await _server.CommandAsync("SIM-MISC", "ReserveNow", new { connectorId = 2, expiryDate = expiry, idTag = "OTHER", reservationId = 43 })).Status(),
            Is.EqualTo("Occupied"));
        Assert.That((await _server.CommandAsync("SIM-MISC", "CancelReservation", new { reservationId = 42 })).Status(), Is.EqualTo("Accepted"));
        Assert.That((await _server.CommandAsync("SIM-MISC", "CancelReservation", new { reservationId = 42 })).Status(), Is.EqualTo("Rejected"));

        var list = new { listVersion = 3, updateType = "Full", localAuthorizationList = new[] { new { idTag = "LOCAL-1", idTagInfo = new { status = "Accepted" } } } };
        Assert.That((await _server.CommandAsync("SIM-MISC", "SendLocalList", list)).Status(), Is.EqualTo("Accepted"));
        Assert.That((await _server.CommandAsync("SIM-MISC", "GetLocalListVersion", new { })).GetProperty("listVersion").GetInt32(), Is.EqualTo(3));
        var stale = new { listVersion = 2, updateType = "Differential", localAuthorizationList = new[] { new { idTag = "LOCAL-2" } } };
        Assert.That((await _server.CommandAsync("SIM-MISC", "SendLocalList", stale)).Status(), Is.EqualTo("VersionMismatch"));
        Assert.That(chargePoint.LocalList.Get("LOCAL-1")?.Status, Is.EqualTo(ChargePointSimulator.Ocpp.AuthorizationStatus.Accepted));

        await chargePoint.AuthorizeAsync("CMD-MISC");
        Assert.That(chargePoint.AuthorizationCache.Count, Is.EqualTo(1));
        Assert.That((await _server.CommandAsync("SIM-MISC", "ClearCache", new { })).Status(), Is.EqualTo("Accepted"));
        Assert.That(chargePoint.AuthorizationCache.Count, Is.Zero);

        await chargePoint.PlugInAsync(1);
        await chargePoint.PresentIdTagAsync(1, "CMD-MISC");
        Assert.That((await _server.CommandAsync("SIM-MISC", "UnlockConnector", new { connectorId = 1 })).Status(), Is.EqualTo("Unlocked"));
        var stopped = await Eventually.ValueAsync(() => _server.TransactionsAsync("SIM-MISC"),
            t => t.Length == 1 && t[0].GetProperty("stopReason").ValueKind == JsonValueKind.String, "stopped by unlock");
        Assert.That(stopped[0].GetProperty("stopReason").GetString(), Is.EqualTo("UnlockCommand"));

        var transfer = await _server.CommandAsync("SIM-MISC", "DataTransfer", new { vendorId = "com.example", messageId = "Hello" });
        Assert.That(transfer.Status(), Is.EqualTo("UnknownVendorId"));
    }

    [Test]
    public async Task UpdateFirmware_and_GetDiagnostics_send_their_status_sequences()
    {
        await using var simulated = await SimulatedChargePoint.StartAsync(_server, "SIM-FW");
        var chargePoint = simulated.ChargePoint;

        await _server.CommandAsync("SIM-FW", "UpdateFirmware", new { location = "https://firmware.example/simcharger-2.1.0.bin", retrieveDate = DateTimeOffset.UtcNow });
        await Eventually.TrueAsync(() => chargePoint.AcceptedBoots == 2 && chargePoint.IsOnline, "rebooted into the new firmware");
        var firmwareSteps = simulated.Events.Where(e => e.Kind == ChargePointEventKind.FirmwareStatus).Select(e => e.Description).ToList();
        Assert.That(firmwareSteps, Is.EqualTo(new[] { "Downloading", "Downloaded", "Installing", "Installed" }));
        // The charger reports Installed after booting the new firmware: wait for both, not for the boot alone.
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-FW"),
            cp => cp.GetProperty("firmwareVersion").GetString() == "2.1.0" && cp.GetProperty("firmwareStatus").GetString() == "Installed",
            "new firmware version booted and reported Installed");

        var diagnostics = await _server.CommandAsync("SIM-FW", "GetDiagnostics", new { location = "ftp://diagnostics.example/upload" });
        Assert.That(diagnostics.GetProperty("fileName").GetString(), Does.StartWith("diagnostics-SIM-FW-"));
        await Eventually.ValueAsync(() => _server.ChargePointAsync("SIM-FW"),
            cp => cp.GetProperty("diagnosticsStatus").GetString() == "Uploaded", "diagnostics uploaded");
        Assert.That(simulated.Events.Where(e => e.Kind == ChargePointEventKind.DiagnosticsStatus).Select(e => e.Description.Split(' ')[0]),
            Is.EqualTo(new[] { "Uploading", "Uploaded" }));
    }
}
