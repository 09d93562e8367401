using System.Text.Json;
using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

/// <summary>
/// The seed journey: registration, camera at the entrance, boot, plug in (VIN), biometric token, Authorize,
/// StartTransaction, MeterValues, StopTransaction — each step printed with the server's decision.
/// </summary>
public static class DemoJourney
{
    public static async Task RunAsync(DemoContext context, CancellationToken ct)
    {
        var report = context.Report;
        report.Heading("Seed journey: pre-verification + biometric token + ISO 15118 VIN");
        await using var cast = await DemoCast.CreateAsync(context, "journey", verbose: true, ct);

        var capture = await cast.CaptureEntranceAsync(ct);
        report.Step("camera capture at the entrance", capture.Verdict == "Passed" && capture.Plate == cast.Plate,
            $"verdict {capture.Verdict}, plate read {capture.Plate ?? "-"} (expected {cast.Plate}), confidence {capture.Confidence:0.00}, record {capture.Id}");

        if (!await cast.ConnectAsync(verbose: true, ct))
        {
            return;
        }

        var vin = await cast.PlugInAsync(1, cast.Vin, ct);
        report.Step("plug in (ISO 15118) -> DataTransfer VehicleIdentification", vin?.Response?.Status == DataTransferStatus.Accepted,
            $"VIN {cast.Vin}: {Describe(vin)}");

        var face = await cast.ChargePoint.PresentFaceAsync(cast.Reader, 1, cast.GenuineFace(), liveness: 0.97, ct);
        report.Step("face at the reader -> DataTransfer BiometricToken", face.Response.Status == DataTransferStatus.Accepted,
            $"genuine sample, ES256 token: {face.Response.Status}{ReasonText(face.Response)}");

        var outcome = await cast.ChargePoint.PresentIdTagAsync(1, cast.IdTag, ct);
        var authorize = (await context.Api.DecisionsAsync(cast.ChargePointId, ct)).FirstOrDefault(d => d.Phase == "Authorize");
        report.Step("Authorize", outcome == IdTagOutcome.Started && authorize?.Result == "Accepted",
            $"idTag {cast.IdTag}: charger outcome {outcome}; decision {DescribeDecision(authorize)}");

        var (started, _) = await context.WaitForAsync(
            _ => Task.FromResult(cast.ChargePoint.Connectors()[0].TransactionId), id => id is not null, ct);
        var start = (await context.Api.DecisionsAsync(cast.ChargePointId, ct)).FirstOrDefault(d => d.Phase == "StartTransaction");
        int? transactionId = cast.ChargePoint.Connectors()[0].TransactionId;
        report.Step("StartTransaction", started && start?.Result == "Accepted",
            $"transactionId {transactionId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}; decision {DescribeDecision(start)}");

        var (metered, withValues) = await context.WaitForAsync(
            c => context.Api.TransactionAsync(cast.ChargePointId, transactionId, c), t => t is { } tx && tx.GetProperty("meterValues").GetArrayLength() > 0, ct);
        report.Step("MeterValues", metered, $"{MeterValueCount(withValues)} sampled values stored for the transaction");

        cast.ChargePoint.StopTransaction(1);
        var (stopped, done) = await context.WaitForAsync(
            c => context.Api.TransactionAsync(cast.ChargePointId, transactionId, c),
            t => t is { } tx && tx.TryGetProperty("stopTimestamp", out var s) && s.ValueKind == JsonValueKind.String, ct);
        report.Step("StopTransaction", stopped, stopped && done is { } tx
            ? $"reason {tx.GetProperty("stopReason").GetString()}, {tx.GetProperty("meterStop").GetInt32() - tx.GetProperty("meterStart").GetInt32()} Wh"
            : "the server did not record the stop");

        await cast.ChargePoint.ReportSecurityEventAsync("SettingSystemTime", "clock set from the central system's Heartbeat", ct);
        var (reported, events) = await context.WaitForAsync(
            c => context.Api.SecurityEventsAsync(cast.ChargePointId, c),
            e => e.EnumerateArray().Any(x => x.GetProperty("type").GetString() == "SettingSystemTime"), ct);
        report.Step("SecurityEventNotification", reported,
            reported ? "SettingSystemTime stored; GET /api/security-events lists " + string.Join(", ", events.EnumerateArray().Select(x => x.GetProperty("type").GetString()))
                : "the server did not list the event");

        report.Info("decisions (GET /api/authorizations, newest first):");
        foreach (var decision in await context.Api.DecisionsAsync(cast.ChargePointId, ct))
        {
            report.Info($"  {decision.Phase,-16} {decision.Result,-8} {decision.Reason,-24} {decision.FactorSummary}");
        }
    }

    public static string Describe(VehicleIdentificationResult? result) =>
        result is null ? "not sent" : result.Response is { } r ? $"{r.Status}{ReasonText(r)}" : $"failed: {result.Error}";

    public static string ReasonText(DataTransferResponse response) => response.Reason() is { } reason ? $" ({reason})" : "";

    public static string DescribeDecision(DemoDecision? decision) =>
        decision is null ? "none recorded" : $"{decision.Result}, reason {decision.Reason} [{decision.FactorSummary}]";

    private static int MeterValueCount(JsonElement? transaction) => transaction is { } t ? t.GetProperty("meterValues").GetArrayLength() : 0;
}
