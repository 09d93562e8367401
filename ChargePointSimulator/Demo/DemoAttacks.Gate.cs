using System.Globalization;
using System.Text.Json;
using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

/// <summary>Ways around the layered gate: evidence that looks complete but is not this driver's, this connector's, or new.</summary>
public static partial class DemoAttacks
{
    /// <summary>How much of the victim's face the look-alike has (the rest is their own).</summary>
    private const double LookAlikeResemblance = 0.65;

    /// <summary>
    /// An enrolled look-alike of the driver taps the driver's card first (so an Authorize names the driver), then looks
    /// into the reader. Their capture clears the threshold against the driver, but identification over the whole gallery
    /// finds the look-alike themself.
    /// </summary>
    private static async Task LookAlikeAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        float[] victim = context.Templates.Enrolled(cast.PersonSeed);
        string seed = $"{cast.PersonSeed}-look-alike";
        float[] enrolled = BiometricTemplateGenerator.Blend(victim, context.Templates.Enrolled(seed), LookAlikeResemblance);
        float[] capture = BiometricTemplateGenerator.Blend(victim, context.Templates.GenuineSample(seed, 1), LookAlikeResemblance);
        string lookAlikeId = await context.Api.CreateDriverAsync("Look-alike", $"{cast.IdTag}-L", ct);
        await context.Api.EnrollFaceAsync(lookAlikeId, enrolled, ct);
        double toVictim = BiometricTemplateGenerator.CosineSimilarity(capture, victim);
        double toSelf = BiometricTemplateGenerator.CosineSimilarity(capture, enrolled);
        context.Report.Step("the look-alike's face would pass a 1:1 check against the card's driver", toVictim >= 0.80,
            $"enrolled look-alike {lookAlikeId}: capture scores {toVictim:0.000} against {cast.IdTag}'s driver (threshold 0.80), {toSelf:0.000} against themself");
        if (!await EnterAndConnectAsync(context, cast, ct))
        {
            return;
        }

        await PlugInAsync(context, cast, cast.Vin, ct);
        var first = await cast.ChargePoint.PresentIdTagAsync(1, cast.IdTag, ct);
        context.Report.Info($"the look-alike taps {cast.IdTag}'s card before the face: {first} (that Authorize names the card's driver)");
        var face = await cast.ChargePoint.PresentFaceAsync(cast.Reader, 1, capture, 0.97, ct);
        context.Report.Info($"BiometricToken of the look-alike's face: {face.Response.Status}{DemoJourney.ReasonText(face.Response)}");
        await ExpectRefusedAsync(context, cast, ct, "BiometricMatchesAnotherDriver");
    }

    /// <summary>
    /// The driver's complete evidence on both connectors (the car's VIN reported on each, the face shown for each): an
    /// Authorize names no connector, so the charger could start on either, perhaps the one with somebody else's car.
    /// </summary>
    private static async Task TwoConnectorsAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            await PlugInAsync(context, cast, cast.Vin, ct, connectorId: 2);
            await PresentGenuineFaceAsync(context, cast, ct);
            await PresentGenuineFaceAsync(context, cast, ct, connectorId: 2, sample: 2);
            await ExpectRefusedAsync(context, cast, ct, "AmbiguousConnector");
        }
    }

    /// <summary>
    /// A genuine session is started; the charger then goes off line and a device holding its AuthorizationKey sends the
    /// very same StartTransaction: while the transaction is open it is a resend (same transaction); once it is stopped,
    /// the same content is decided anew: its evidence is consumed, so it is refused under a new transactionId.
    /// </summary>
    private static async Task RestartReplayAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (!await EnterAndConnectAsync(context, cast, ct) || await StartGenuineSessionAsync(context, cast, ct) is not { } transaction)
        {
            return;
        }

        int transactionId = transaction.GetProperty("transactionId").GetInt32();
        var start = new StartTransactionRequest(
            transaction.GetProperty("connectorId").GetInt32(), transaction.GetProperty("idTag").GetString()!,
            transaction.GetProperty("meterStart").GetInt32(), transaction.GetProperty("startTimestamp").GetDateTimeOffset());
        await cast.StopChargerAsync();
        context.Report.Info($"the charger goes off line; a device with its AuthorizationKey replays its StartTransaction {PayloadText(start)}");

        await using var rogue = await OpenAsync(context, cast.ChargePointId, cast.Password, ct);
        var resend = await rogue.CallAsync("StartTransaction", start, context.WaitTimeout, ct);
        context.Report.Step("identical StartTransaction while the transaction is open: a resend, the same transaction",
            resend.TransactionId == transactionId && resend.IdTagStatus == "Accepted", resend.Describe());

        var stop = await rogue.CallAsync("StopTransaction",
            new StopTransactionRequest(start.MeterStart + 500, context.Time.GetUtcNow(), transactionId, cast.IdTag, StopReason.Local), context.WaitTimeout, ct);
        context.Report.Info($"StopTransaction {transactionId}: {stop.Describe()}");

        var replay = await rogue.CallAsync("StartTransaction", start, context.WaitTimeout, ct);
        context.Report.Step("identical StartTransaction after the stop: decided anew, refused, new transactionId",
            replay.TransactionId is { } id && id != transactionId && replay.IdTagStatus is not null and not "Accepted", replay.Describe());
        var decision = (await context.Api.DecisionsAsync(cast.ChargePointId, ct))
            .FirstOrDefault(d => d.Phase == "StartTransaction" && d.TransactionId == replay.TransactionId);
        ExpectDecision(context, "StartTransaction decision recorded for the replay", decision, "NoVinReported");
        if (replay.TransactionId is { } refused)
        {
            // As a charger with StopTransactionOnInvalidId does: the refused transaction ends at once.
            await rogue.CallAsync("StopTransaction",
                new StopTransactionRequest(start.MeterStart + 500, context.Time.GetUtcNow(), refused, Reason: StopReason.DeAuthorized), context.WaitTimeout, ct);
        }
    }

    /// <summary>An old photo of the registered car: never Passed, so the car has not been pre-verified.</summary>
    private static async Task StaleCaptureAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        var takenAt = context.Time.GetUtcNow().AddMinutes(-10);
        var record = await cast.CaptureFrameAsync(cast.Plate, takenAt, ct);
        context.Report.Step("photo taken 10 minutes ago -> verdict CaptureTimeOutOfRange", record.Verdict == "CaptureTimeOutOfRange",
            $"capturedAt {takenAt.UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture)}: verdict {record.Verdict}, plate read {record.Plate ?? "-"}");
        if (await cast.ConnectAsync(verbose: false, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            await PresentGenuineFaceAsync(context, cast, ct);
            await ExpectRefusedAsync(context, cast, ct, "NoPreVerification");
        }
    }

    /// <summary>
    /// The car passes the camera and charges; afterwards the camera's image of it is posted again (the bytes the camera
    /// sent, with a fresh capturedAt) to pre-verify it once more without it being there.
    /// </summary>
    private static async Task ReplayedImageAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (!await EnterAndConnectAsync(context, cast, ct) || cast.LastEntranceImage is not { } image
            || await StartGenuineSessionAsync(context, cast, ct) is not { } transaction)
        {
            return;
        }

        int transactionId = transaction.GetProperty("transactionId").GetInt32();
        cast.ChargePoint.StopTransaction(1);
        var (stopped, _) = await context.WaitForAsync(
            c => context.Api.TransactionAsync(cast.ChargePointId, transactionId, c),
            t => t is { } tx && tx.TryGetProperty("stopTimestamp", out var s) && s.ValueKind == JsonValueKind.String, ct);
        cast.ChargePoint.Unplug(1);
        context.Report.Step("the session ends (StopTransaction), the car leaves", stopped, $"transaction {transactionId} stopped; its pre-verification is consumed");

        var replay = await cast.Camera.CaptureAsync(image, context.Time.GetUtcNow(), plateHint: null, ct);
        context.Report.Step("the camera's image posted again -> verdict Replayed", replay.Verdict == "Replayed",
            $"{image.Length} bytes, fresh capturedAt: verdict {replay.Verdict}, plate read {replay.Plate ?? "-"}");
        await PlugInAsync(context, cast, cast.Vin, ct);
        await PresentGenuineFaceAsync(context, cast, ct, sample: 2);
        await ExpectRefusedAsync(context, cast, ct, "PreVerificationConsumed");
    }

    /// <summary>
    /// Another charger's reader (its own registered key) sends a token with the token id the driver's reader will use
    /// next, hoping to make the driver's genuine token look replayed: replay is judged per reader key, so it does not.
    /// </summary>
    private static async Task JtiSquattingAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string attackerId = $"{cast.ChargePointId}-J";
        string attackerKey = NewKey();
        using var attackerReader = new BiometricReader();
        await context.Api.RegisterChargePointAsync(attackerId, cast.StationId, attackerKey, ct);
        await context.Api.RegisterReaderAsync(attackerId, attackerReader.KeyId, attackerReader.PublicKeyPem, ct);
        string jti = $"{cast.ChargePointId}-0001";
        context.Report.Info($"attacker's charger {attackerId} with its own reader {attackerReader.KeyId}; the driver's reader's next token id: {jti}");
        await using (var rogue = await OpenAsync(context, attackerId, attackerKey, ct))
        {
            var claims = DemoTokens.Claims(attackerId, 1, context.Templates.Impostor(cast.PersonSeed, 7), context.Time.GetUtcNow(), TimeSpan.FromMinutes(2));
            var squat = await rogue.CallAsync("DataTransfer", OcppAuthExtension.BiometricTokenRequest(1, attackerReader.Sign(claims with { TokenId = jti })),
                context.WaitTimeout, ct);
            string answer = squat.Payload is { } payload ? DescribeDataTransfer(OcppJson.Deserialize<DataTransferResponse>(payload)) : squat.Describe();
            context.Report.Info($"the attacker's token with jti {jti} (signed by the attacker's reader), sent first: {answer}");
        }

        if (!await EnterAndConnectAsync(context, cast, ct))
        {
            return;
        }

        await PlugInAsync(context, cast, cast.Vin, ct);
        var genuine = DemoTokens.Claims(cast.ChargePointId, 1, cast.GenuineFace(), context.Time.GetUtcNow(), TimeSpan.FromMinutes(2)) with { TokenId = jti };
        var response = await cast.ChargePoint.SendBiometricTokenAsync(1, cast.Reader.Sign(genuine), ct);
        context.Report.Step("the driver's genuine token with that jti -> Accepted (not Replayed)", response.Status == DataTransferStatus.Accepted,
            DescribeDataTransfer(response));
        var outcome = await cast.ChargePoint.PresentIdTagAsync(1, cast.IdTag, ct);
        var decision = (await context.Api.DecisionsAsync(cast.ChargePointId, ct)).FirstOrDefault(d => d.Phase == "Authorize");
        context.Report.Step("the driver still charges: Authorize Accepted", outcome == IdTagOutcome.Started && decision is { Result: "Accepted", Reason: "Accepted" },
            $"charger outcome {outcome}; decision {DemoJourney.DescribeDecision(decision)}");
        if (outcome == IdTagOutcome.Started)
        {
            await StopSessionAsync(context, cast, ct);
        }
    }

    /// <summary>The card names a group that is not registered: an unknown group vouches for nobody.</summary>
    private static async Task UnknownGroupAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string group = $"GRP-{cast.IdTag}";
        await context.Api.SetIdTagGroupAsync(cast.IdTag, group, ct);
        context.Report.Info($"the card {cast.IdTag} names the group {group} as its parentIdTag; no such id tag is registered");
        await AllEvidenceThenRefusedAsync(context, cast, ct, "IdTagInvalid");
    }

    /// <summary>The operator blocks a fleet's group tag: every card of the group is blocked with it.</summary>
    private static async Task BlockedGroupAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string group = $"GRP-{cast.IdTag}";
        await context.Api.CreateIdTagAsync(group, "Accepted", ct);
        await context.Api.SetIdTagGroupAsync(cast.IdTag, group, ct);
        await context.Api.BlockIdTagAsync(group, ct);
        context.Report.Info($"the card {cast.IdTag} belongs to the group {group}; the operator blocked the group (the card itself stays Accepted)");
        await AllEvidenceThenRefusedAsync(context, cast, ct, "IdTagBlocked");
    }

    /// <summary>Camera, VIN and face all genuine, then the card: refused for one of the expected reasons.</summary>
    private static async Task AllEvidenceThenRefusedAsync(DemoContext context, DemoCast cast, CancellationToken ct, params string[] expectedReasons)
    {
        if (await EnterAndConnectAsync(context, cast, ct))
        {
            await PlugInAsync(context, cast, cast.Vin, ct);
            await PresentGenuineFaceAsync(context, cast, ct);
            await ExpectRefusedAsync(context, cast, ct, expectedReasons);
        }
    }

    /// <summary>The genuine driver charges (VIN, face, card); returns the stored transaction when it started Accepted.</summary>
    private static async Task<JsonElement?> StartGenuineSessionAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        await PlugInAsync(context, cast, cast.Vin, ct);
        await PresentGenuineFaceAsync(context, cast, ct);
        var outcome = await cast.ChargePoint.PresentIdTagAsync(1, cast.IdTag, ct);
        var (started, transactionId) = await context.WaitForAsync(
            _ => Task.FromResult(cast.ChargePoint.Connectors()[0].TransactionId), id => id is not null, ct);
        JsonElement? transaction = started ? await context.Api.TransactionAsync(cast.ChargePointId, transactionId, ct) : null;
        bool accepted = transaction is { } t && t.GetProperty("startStatus").GetString() == "Accepted";
        context.Report.Step("the genuine driver charges (Authorize, StartTransaction Accepted)", accepted,
            $"charger outcome {outcome}; transactionId {transactionId?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        return accepted ? transaction : null;
    }

    /// <summary>The driver stops charging; waits until the server has recorded the stop.</summary>
    private static async Task StopSessionAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        var (_, transactionId) = await context.WaitForAsync(
            _ => Task.FromResult(cast.ChargePoint.Connectors()[0].TransactionId), id => id is not null, ct);
        cast.ChargePoint.StopTransaction(1);
        await context.WaitForAsync(
            c => context.Api.TransactionAsync(cast.ChargePointId, transactionId, c),
            t => t is { } tx && tx.TryGetProperty("stopTimestamp", out var s) && s.ValueKind == JsonValueKind.String, ct);
    }

    /// <summary>A recorded decision must exist, not Accepted, for one of the expected reasons.</summary>
    private static void ExpectDecision(DemoContext context, string step, DemoDecision? decision, params string[] expectedReasons)
    {
        bool expectedReason = decision is { Result: not "Accepted" } && expectedReasons.Contains(decision.Reason);
        context.Report.Step(step, expectedReason,
            $"decision {DemoJourney.DescribeDecision(decision)}" + (expectedReason ? "" : $" (expected reason {string.Join(" or ", expectedReasons)})"));
    }

    private static string DescribeDataTransfer(DataTransferResponse response) => $"{response.Status}{DemoJourney.ReasonText(response)}";

    private static string PayloadText<T>(T payload) => System.Text.Encoding.UTF8.GetString(OcppJson.ToUtf8(payload));
}
