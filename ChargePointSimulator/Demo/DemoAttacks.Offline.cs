using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

public static partial class DemoAttacks
{
    /// <summary>
    /// A charger whose local configuration was put back (on site) to allow offline starts for unknown ids and to keep
    /// charging on an invalid id: it starts off line without any evidence, and the queued StartTransaction is sent
    /// when it is back. The server must answer Invalid and stop the session with RemoteStopTransaction.
    /// </summary>
    private static async Task OfflineStartAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (!await cast.ConnectAsync(verbose: false, ct))
        {
            return;
        }

        var store = cast.ChargePoint.Configuration;
        store.Change(ConfigurationKeys.LocalAuthorizeOffline, "true");
        store.Change(ConfigurationKeys.AllowOfflineTxForUnknownId, "true");
        store.Change(ConfigurationKeys.StopTransactionOnInvalidId, "false");
        context.Report.Info("charger configuration tampered on site: AllowOfflineTxForUnknownId=true, StopTransactionOnInvalidId=false");

        cast.ChargePoint.CutNetwork();
        await context.WaitForAsync(_ => Task.FromResult(cast.ChargePoint.IsOnline), online => !online, ct);
        await cast.ChargePoint.PlugInAsync(1, new SimulatedVehicle(), ct);
        var outcome = await cast.ChargePoint.PresentIdTagAsync(1, cast.IdTag, ct);
        context.Report.Info($"off line: plugged in (no ISO 15118), card tapped -> {outcome}; StartTransaction queued");
        cast.ChargePoint.RestoreNetwork();

        // Back on line, the server hardens the charger again (it reconnected without booting), so it may stop by
        // itself when its StartTransaction is refused; if it keeps charging, RemoteStopTransaction follows the grace period.
        context.Report.Info("the server re-pushes the hardening on reconnection; a charger still charging is stopped after the grace period");
        var (_, decision) = await context.WaitForAsync(
            async c => (await context.Api.DecisionsAsync(cast.ChargePointId, c)).FirstOrDefault(d => d.Phase == "StartTransaction"), d => d is not null, ct);
        var (stopped, _) = await context.WaitForAsync(
            _ => Task.FromResult(cast.ChargePoint.Connectors()[0].Status is not (ChargePointStatus.Charging or ChargePointStatus.SuspendedEV or ChargePointStatus.SuspendedEVSE)),
            s => s, ct,
            context.WaitTimeout + TimeSpan.FromSeconds(30));
        context.Report.Step("StartTransaction refused", decision is { Result: not "Accepted" },
            $"charger outcome off line {outcome}; decision {DemoJourney.DescribeDecision(decision)}");
        context.Report.Step("the session does not go on charging", stopped,
            !stopped ? "still charging"
            : cast.SawServerCall("RemoteStopTransaction") ? "stopped by RemoteStopTransaction"
            : "stopped by the charger itself (StopTransactionOnInvalidId restored by the server's hardening)");
    }
}
