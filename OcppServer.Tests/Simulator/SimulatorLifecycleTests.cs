using System.Text.Json;
using ChargePointSimulator.Charger;
using OcppServer.ChargePoints;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

public sealed class SimulatorLifecycleTests
{
    [Test]
    public async Task A_long_identity_boots_with_serial_numbers_that_fit_CiString25()
    {
        await using var server = await TestServer.StartAsync();
        const string id = "SIM-A-RATHER-LONG-IDENTITY-OF-40-CHARS-X";
        await using var simulated = await SimulatedChargePoint.StartAsync(server, id);

        var view = await server.ChargePointAsync(id);
        Assert.That(view.GetProperty("connected").GetBoolean(), Is.True, "BootNotification accepted (serials of at most 25 characters)");
    }

    [Test]
    public async Task A_BootNotification_answered_with_a_CALLERROR_is_retried_not_fatal()
    {
        await using var server = await TestServer.StartAsync();
        await using var simulated = await SimulatedChargePoint.StartAsync(
            server, "SIM-BADSERIAL", o => o.SerialNumber = new string('S', 30), waitOnline: false);

        await Eventually.TrueAsync(
            () => simulated.ChargePoint.Reconnects >= 1
                  && simulated.Events.Any(e => e.Kind == ChargePointEventKind.CallFailed && e.Description.StartsWith("BootNotification", StringComparison.Ordinal)),
            "the refused boot is reported and the charger reconnects to try again");
        Assert.That(simulated.ChargePoint.IsOnline, Is.False);
    }

    [Test]
    public async Task Boots_sends_heartbeats_at_the_server_interval_and_reports_every_connector()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:HeartbeatIntervalSeconds"] = "1" });
        await using var simulated = await SimulatedChargePoint.StartAsync(server, "SIM-BOOT");

        Assert.That(simulated.ChargePoint.Configuration.Get("HeartbeatInterval"), Is.EqualTo("1"), "interval from BootNotification");
        var view = await Eventually.ValueAsync(
            () => server.ChargePointAsync("SIM-BOOT"),
            cp => cp.GetProperty("lastHeartbeatAt").ValueKind == JsonValueKind.String && cp.GetProperty("connectors").GetArrayLength() == 3,
            "heartbeat and three connector statuses stored");

        Assert.Multiple(() =>
        {
            Assert.That(view.GetProperty("vendor").GetString(), Is.EqualTo("OcppAuth"));
            Assert.That(view.GetProperty("firmwareVersion").GetString(), Is.EqualTo("1.0.0"));
            Assert.That(view.GetProperty("connected").GetBoolean(), Is.True);
            Assert.That(view.ConnectorStatus(0), Is.EqualTo("Available"));
            Assert.That(view.ConnectorStatus(1), Is.EqualTo("Available"));
            Assert.That(view.ConnectorStatus(2), Is.EqualTo("Available"));
        });

        var firstHeartbeat = view.GetProperty("lastHeartbeatAt").GetDateTimeOffset();
        await Eventually.ValueAsync(
            () => server.ChargePointAsync("SIM-BOOT"),
            cp => cp.GetProperty("lastHeartbeatAt").GetDateTimeOffset() > firstHeartbeat,
            "a second heartbeat about a second later");
    }

    [Test]
    public async Task A_pending_charger_retries_its_boot_and_is_accepted_after_approval()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ocpp:UnknownChargePoints"] = "Pending",
            ["Ocpp:HeartbeatIntervalSeconds"] = "1",
        });
        var options = new ChargePointOptions { Id = "SIM-PENDING", CentralSystem = SimulatedChargePoint.OcppBase(server), CallTimeout = TimeSpan.FromSeconds(5) };
        var chargePoint = new ChargePoint(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ChargePoint>.Instance);
        using var stop = new CancellationTokenSource();
        var running = chargePoint.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => chargePoint.RegistrationStatus == ChargePointSimulator.Ocpp.RegistrationStatus.Pending, "Pending");
            using var approve = await server.Api.PostAsync("/api/chargepoints/SIM-PENDING/approve", null);
            approve.EnsureSuccessStatusCode();
            await Eventually.TrueAsync(() => chargePoint.IsOnline, "accepted after approval (TriggerMessage BootNotification or retry)");
            Assert.That(chargePoint.AcceptedBoots, Is.EqualTo(1));
        }
        finally
        {
            await stop.CancelAsync();
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [TestCase("Hard", "HardReset")]
    [TestCase("Soft", "SoftReset")]
    public async Task Reset_reboots_reconnects_boots_again_and_stops_the_running_transaction(string type, string reason)
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateIdTagAsync("RESET-TAG");
        string id = $"SIM-RESET-{type}";
        await using var simulated = await SimulatedChargePoint.StartAsync(server, id);
        var chargePoint = simulated.ChargePoint;
        await chargePoint.PlugInAsync(1);
        Assert.That(await chargePoint.PresentIdTagAsync(1, "RESET-TAG"), Is.EqualTo(IdTagOutcome.Started));
        await Eventually.TrueAsync(() => chargePoint.Connectors()[0].TransactionId is not null, "transaction id assigned");
        var firstBoot = (await server.ChargePointAsync(id)).GetProperty("lastBootAt").GetDateTimeOffset();

        var answer = await server.CommandAsync(id, "Reset", new { type });

        Assert.That(answer.Status(), Is.EqualTo("Accepted"));
        await Eventually.TrueAsync(() => chargePoint.AcceptedBoots == 2 && chargePoint.IsOnline, "second boot after the reset");
        var view = await Eventually.ValueAsync(
            () => server.ChargePointAsync(id), cp => cp.GetProperty("lastBootAt").GetDateTimeOffset() > firstBoot, "lastBootAt moved");
        Assert.That(view.GetProperty("connected").GetBoolean(), Is.True);
        var transactions = await Eventually.ValueAsync(
            () => server.TransactionsAsync(id), t => t.Length == 1 && t[0].GetProperty("stopReason").ValueKind == JsonValueKind.String, "transaction stopped");
        Assert.That(transactions[0].GetProperty("stopReason").GetString(), Is.EqualTo(reason));
    }
}
