using System.Text.Json;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Timing;
using OcppServer.ChargePoints;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

public sealed class SimulatorSessionTests
{
    [Test]
    public async Task A_local_session_authorizes_starts_meters_and_stops_with_transaction_data()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateIdTagAsync("DRIVER-1");
        // Ten times faster: MeterValueSampleInterval 10 s means a sample every second of real time.
        var time = new ScaledTimeProvider(10);
        await using var simulated = await SimulatedChargePoint.StartAsync(server, "SIM-SESSION",
            o => o.Configuration["MeterValueSampleInterval"] = "10", time);
        var chargePoint = simulated.ChargePoint;

        await chargePoint.PlugInAsync(1, new SimulatedVehicle(batteryCapacityKWh: 50, stateOfChargePercent: 40, maxPowerWatts: 11_000));
        Assert.That(await chargePoint.PresentIdTagAsync(1, "DRIVER-1"), Is.EqualTo(IdTagOutcome.Started));
        await Eventually.TrueAsync(() => simulated.Events.Count(e => e.Description.StartsWith("MeterValues", StringComparison.Ordinal)) >= 2,
            "two periodic MeterValues");
        Assert.That(await chargePoint.PresentIdTagAsync(1, "DRIVER-1"), Is.EqualTo(IdTagOutcome.Stopped));

        var transaction = (await Eventually.ValueAsync(
            () => server.TransactionsAsync("SIM-SESSION"),
            t => t.Length == 1 && t[0].GetProperty("stopTimestamp").ValueKind == JsonValueKind.String
                && t[0].GetProperty("meterValues").EnumerateArray().Any(v => v.GetProperty("source").GetString() == "StopTransaction"),
            "stopped transaction with its data"))[0];

        Assert.That(simulated.Events.Any(e => e.Kind == ChargePointEventKind.Authorized && e.Description.Contains("central system")), Is.True,
            "Authorize was sent before StartTransaction");
        var values = transaction.GetProperty("meterValues").EnumerateArray().ToList();
        var periodic = values.Where(v => v.GetProperty("source").GetString() == "MeterValues").ToList();
        var stopData = values.Where(v => v.GetProperty("source").GetString() == "StopTransaction").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(transaction.GetProperty("idTag").GetString(), Is.EqualTo("DRIVER-1"));
            Assert.That(transaction.GetProperty("startStatus").GetString(), Is.EqualTo("Accepted"));
            Assert.That(transaction.GetProperty("stopReason").GetString(), Is.EqualTo("Local"));
            Assert.That(transaction.GetProperty("meterStop").GetInt32(), Is.GreaterThan(transaction.GetProperty("meterStart").GetInt32()),
                "11 kW for some simulated seconds adds energy");
            Assert.That(periodic.Select(v => v.GetProperty("measurand").GetString()).Distinct(),
                Is.SupersetOf(new[] { "Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "Voltage", "SoC" }));
            Assert.That(periodic.Where(v => v.GetProperty("measurand").GetString() == "Power.Active.Import").Select(v => v.GetProperty("value").GetString()),
                Has.All.EqualTo("11000"));
            Assert.That(stopData.Select(v => v.GetProperty("context").GetString()), Does.Contain("Transaction.Begin").And.Contain("Transaction.End"));
        });
        await Eventually.ValueAsync(() => server.ChargePointAsync("SIM-SESSION"), cp => cp.ConnectorStatus(1) == "Finishing", "Finishing while plugged");
        chargePoint.Unplug(1);
        await Eventually.ValueAsync(() => server.ChargePointAsync("SIM-SESSION"), cp => cp.ConnectorStatus(1) == "Available", "Available after unplug");
    }

    [Test]
    public async Task RemoteStartTransaction_through_the_api_starts_a_transaction_and_RemoteStop_ends_it()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateIdTagAsync("REMOTE-1");
        await using var simulated = await SimulatedChargePoint.StartAsync(server, "SIM-REMOTE");

        var started = await server.CommandAsync("SIM-REMOTE", "RemoteStartTransaction", new { connectorId = 2, idTag = "REMOTE-1" });
        Assert.That(started.Status(), Is.EqualTo("Accepted"));

        var transaction = (await Eventually.ValueAsync(() => server.TransactionsAsync("SIM-REMOTE"), t => t.Length == 1, "transaction started"))[0];
        Assert.Multiple(() =>
        {
            Assert.That(transaction.GetProperty("connectorId").GetInt32(), Is.EqualTo(2));
            Assert.That(transaction.GetProperty("idTag").GetString(), Is.EqualTo("REMOTE-1"));
            Assert.That(transaction.GetProperty("startStatus").GetString(), Is.EqualTo("Accepted"));
        });
        Assert.That(simulated.Events.Any(e => e.Kind == ChargePointEventKind.Authorized), Is.True, "AuthorizeRemoteTxRequests is true by default");
        int transactionId = transaction.GetProperty("transactionId").GetInt32();
        await Eventually.TrueAsync(() => simulated.ChargePoint.Connectors()[1].TransactionId == transactionId, "charger knows the transaction id");

        var second = await server.CommandAsync("SIM-REMOTE", "RemoteStartTransaction", new { connectorId = 2, idTag = "REMOTE-1" });
        Assert.That(second.Status(), Is.EqualTo("Rejected"), "connector busy");

        var stopped = await server.CommandAsync("SIM-REMOTE", "RemoteStopTransaction", new { transactionId });
        Assert.That(stopped.Status(), Is.EqualTo("Accepted"));
        var done = await Eventually.ValueAsync(() => server.TransactionsAsync("SIM-REMOTE"),
            t => t[0].GetProperty("stopReason").ValueKind == JsonValueKind.String, "transaction stopped");
        Assert.That(done[0].GetProperty("stopReason").GetString(), Is.EqualTo("Remote"));

        var unknown = await server.CommandAsync("SIM-REMOTE", "RemoteStopTransaction", new { transactionId = 999_999 });
        Assert.That(unknown.Status(), Is.EqualTo("Rejected"));
    }

    [Test]
    public async Task RemoteStart_without_authorize_when_AuthorizeRemoteTxRequests_is_false()
    {
        await using var server = await TestServer.StartAsync();
        await using var simulated = await SimulatedChargePoint.StartAsync(server, "SIM-NOAUTH");
        var change = await server.CommandAsync("SIM-NOAUTH", "ChangeConfiguration", new { key = "AuthorizeRemoteTxRequests", value = "false" });
        Assert.That(change.Status(), Is.EqualTo("Accepted"));

        await server.CommandAsync("SIM-NOAUTH", "RemoteStartTransaction", new { idTag = "UNKNOWN-TAG" });

        var transaction = (await Eventually.ValueAsync(() => server.TransactionsAsync("SIM-NOAUTH"), t => t.Length == 1, "transaction started"))[0];
        Assert.That(transaction.GetProperty("connectorId").GetInt32(), Is.EqualTo(1), "first free connector");
        Assert.That(simulated.Events.Any(e => e.Kind is ChargePointEventKind.Authorized or ChargePointEventKind.AuthorizationRefused), Is.False);
        // The server refuses the unknown idTag in StartTransaction; StopTransactionOnInvalidId ends it at once.
        var stopped = await Eventually.ValueAsync(() => server.TransactionsAsync("SIM-NOAUTH"),
            t => t[0].GetProperty("stopReason").ValueKind == JsonValueKind.String, "deauthorized transaction stopped");
        Assert.That(stopped[0].GetProperty("stopReason").GetString(), Is.EqualTo("DeAuthorized"));
    }

    [Test]
    public async Task Messages_produced_off_line_are_queued_and_delivered_in_order_after_the_server_restarts()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateIdTagAsync("OFFLINE-1");
        await using var simulated = await SimulatedChargePoint.StartAsync(server, "SIM-OFFLINE");
        var chargePoint = simulated.ChargePoint;
        await chargePoint.PlugInAsync(1);
        await chargePoint.PresentIdTagAsync(1, "OFFLINE-1");
        await Eventually.TrueAsync(() => chargePoint.Connectors()[0].TransactionId is not null, "transaction id assigned");
        int transactionId = chargePoint.Connectors()[0].TransactionId!.Value;

        // Taken before the cut: every sample taken off line is later than this, however long the cut takes to show.
        var cutAt = DateTimeOffset.UtcNow;
        chargePoint.CutNetwork();
        await Eventually.TrueAsync(() => !chargePoint.IsConnected, "disconnected");
        await Eventually.TrueAsync(() => chargePoint.QueuedMessages >= 3, "MeterValues queued off line");
        Assert.That(chargePoint.StopTransaction(1), Is.True);
        int queued = chargePoint.QueuedMessages;
        Assert.That(queued, Is.GreaterThanOrEqualTo(4), "MeterValues and the StopTransaction wait for the connection");

        await server.RestartAsync();
        chargePoint.CentralSystem = SimulatedChargePoint.OcppBase(server); // the restarted server listens on a new port
        chargePoint.RestoreNetwork();

        await Eventually.TrueAsync(() => chargePoint.IsOnline && chargePoint.QueuedMessages == 0, "queue delivered after reconnecting");
        Assert.That(chargePoint.AcceptedBoots, Is.EqualTo(1), "a reconnection is not a reboot");
        var transaction = (await server.TransactionsAsync("SIM-OFFLINE")).Single();
        Assert.That(transaction.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId));
        Assert.That(transaction.GetProperty("stopReason").GetString(), Is.EqualTo("Local"));
        var stopTimestamp = transaction.GetProperty("stopTimestamp").GetDateTimeOffset();
        Assert.That(stopTimestamp, Is.GreaterThan(cutAt), "stop timestamp is when it happened, off line");

        var offlineSamples = transaction.GetProperty("meterValues").EnumerateArray()
            .Where(v => v.GetProperty("source").GetString() == "MeterValues" && v.GetProperty("measurand").GetString() == "Energy.Active.Import.Register")
            .Select(v => (Timestamp: v.GetProperty("timestamp").GetDateTimeOffset(), Wh: long.Parse(v.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
            .Where(v => v.Timestamp > cutAt)
            .ToList();
        Assert.That(offlineSamples, Has.Count.GreaterThanOrEqualTo(3), "samples taken off line were stored");
        Assert.That(offlineSamples.Select(v => v.Timestamp), Is.Ordered, "stored in the order they were produced");
        Assert.That(offlineSamples.Select(v => v.Wh), Is.Ordered);
        Assert.That(offlineSamples.Last().Timestamp, Is.LessThanOrEqualTo(stopTimestamp));
    }
}
