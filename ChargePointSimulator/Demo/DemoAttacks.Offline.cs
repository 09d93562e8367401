using ChargePointSimulator.Charger;

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

        var (answered, _) = await context.WaitForAsync(
            _ => Task.FromResult(cast.ChargePoint.Connectors()[0].TransactionId), id => id is not null || cast.SawServerCall("RemoteStopTransaction"), ct);
        context.Report.Info("the charger keeps charging; the server stops it after its grace period (Authorization:RemoteStopGraceSeconds)");
        var (stopped, _) = await context.WaitForAsync(
            _ => Task.FromResult(cast.SawServerCall("RemoteStopTransaction") && cast.ChargePoint.Connectors()[0].TransactionId is null), s => s, ct,
            context.WaitTimeout + TimeSpan.FromSeconds(30));
        var decision = (await context.Api.DecisionsAsync(cast.ChargePointId, ct)).FirstOrDefault(d => d.Phase == "StartTransaction");
        context.Report.Step("StartTransaction refused", answered && decision is { Result: not "Accepted" },
            $"charger outcome off line {outcome}; decision {DemoJourney.DescribeDecision(decision)}");
        context.Report.Step("server sent RemoteStopTransaction, charger stopped", stopped,
            stopped ? "transaction stopped (reason Remote)" : "no RemoteStopTransaction seen / still charging");
    }
}
