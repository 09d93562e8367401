using System.Net.WebSockets;
using System.Text.Json;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Demo;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Load;

/// <summary>
/// One pick of <see cref="MessageMix.Journey"/>: the full three-factor journey of one driver on one charger, step after
/// step (the charger stays claimed): the attendant records the plate at the entrance (API), the vehicle is plugged in
/// (StatusNotification Preparing) and reports its VIN, the driver's face is read (BiometricToken signed by the
/// charger's reader), Authorize, StartTransaction (Charging), StopTransaction (Finishing), unplug (Available).
/// Each step is timed under its own name; an answer other than the expected one is an error with its reason
/// (e.g. "Authorize: Invalid") and ends the journey, after which the charger is put back (a started transaction is
/// stopped, Available sent) for its next journey.
/// </summary>
internal sealed class LoadJourney(LoadOptions options, JourneyIdentities identities, DemoBackOffice api, LoadStatistics statistics, TimeProvider time)
{
    public const string PreVerificationStep = "PreVerification(API)";
    public const string VehicleIdentificationStep = "DataTransfer:VehicleIdentification";
    public const string BiometricTokenStep = "DataTransfer:BiometricToken";

    /// <summary>The rows a journey reports, in journey order.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        PreVerificationStep, "StatusNotification", VehicleIdentificationStep, BiometricTokenStep, "Authorize", "StartTransaction",
        "StopTransaction", MessageMix.Journey,
    ];

    private const int Connector = JourneyIdentities.ConnectorId;

    public async Task RunAsync(LoadChargePoint charger, CancellationToken cancellationToken)
    {
        charger.Reader ??= identities.Reader(charger.Index); // key derivation once per charger, outside the timing
        int sample = ++charger.Journeys;
        long started = time.GetTimestamp();
        bool completed = await StepsAsync(charger, sample, cancellationToken);
        statistics.RecordJourney(completed ? (long)time.GetElapsedTime(started).TotalMicroseconds : null);
        if (!completed && charger.IsOpen && !cancellationToken.IsCancellationRequested)
        {
            await CleanUpAsync(charger);
        }
    }

    private async Task<bool> StepsAsync(LoadChargePoint charger, int sample, CancellationToken ct)
    {
        int index = charger.Index;
        string idTag = identities.IdTag(index);
        if (!await ApiStepAsync(PreVerificationStep, async c =>
            {
                var record = await api.AttendantPreVerificationAsync(identities.StationId, identities.Plate(index), c);
                string? verdict = record.GetProperty("verdict").GetString();
                return verdict == "Passed" ? null : verdict ?? "no verdict";
            }, ct)
            || !await StatusAsync(charger, ChargePointStatus.Preparing, ct)
            || !await CallStepAsync(charger, VehicleIdentificationStep, "DataTransfer",
                OcppJson.ToElement(OcppAuthExtension.VehicleIdentificationRequest(Connector, identities.Vin(index), evccId: null, "ISO15118-2")),
                DataTransferProblem, ct))
        {
            return false;
        }

        var face = identities.Templates.GenuineSample(identities.PersonSeed(index), sample);
        string token = charger.Reader!.CreateToken(charger.Id, Connector, face, JourneyIdentities.Liveness, time);
        if (!await CallStepAsync(charger, BiometricTokenStep, "DataTransfer",
                OcppJson.ToElement(OcppAuthExtension.BiometricTokenRequest(Connector, token)), DataTransferProblem, ct)
            || !await CallStepAsync(charger, "Authorize", "Authorize", OcppJson.ToElement(new AuthorizeRequest(idTag)), response =>
            {
                statistics.RecordDecision();
                return IdTagProblem(OcppJson.Deserialize<AuthorizeResponse>(response).IdTagInfo);
            }, ct))
        {
            return false;
        }

        charger.MeterWh += 37;
        var start = new StartTransactionRequest(Connector, idTag, charger.MeterWh, time.GetUtcNow());
        if (!await CallStepAsync(charger, "StartTransaction", "StartTransaction", OcppJson.ToElement(start), response =>
            {
                statistics.RecordDecision();
                var answer = OcppJson.Deserialize<StartTransactionResponse>(response);
                charger.TransactionId = answer.TransactionId; // a refused one has an id too; the clean-up stops it
                return IdTagProblem(answer.IdTagInfo);
            }, ct)
            || !await StatusAsync(charger, ChargePointStatus.Charging, ct)
            || !await StopAsync(charger, idTag, StopReason.Local, ct)
            || !await StatusAsync(charger, ChargePointStatus.Finishing, ct)
            || !await StatusAsync(charger, ChargePointStatus.Available, ct))
        {
            return false;
        }

        return true;
    }

    /// <summary>After a failed step: stop a transaction that was started (refused or not) and unplug, so the next journey starts clean.</summary>
    private async Task CleanUpAsync(LoadChargePoint charger)
    {
        if (charger.TransactionId is not null)
        {
            await StopAsync(charger, idTag: null, StopReason.DeAuthorized, CancellationToken.None);
        }

        await StatusAsync(charger, ChargePointStatus.Available, CancellationToken.None);
    }

    private Task<bool> StopAsync(LoadChargePoint charger, string? idTag, StopReason reason, CancellationToken ct)
    {
        charger.MeterWh += 500;
        var stop = new StopTransactionRequest(charger.MeterWh, time.GetUtcNow(), charger.TransactionId ?? 0, idTag, reason);
        return CallStepAsync(charger, "StopTransaction", "StopTransaction", OcppJson.ToElement(stop), _ =>
        {
            charger.TransactionId = null;
            return null;
        }, ct);
    }

    private Task<bool> StatusAsync(LoadChargePoint charger, ChargePointStatus status, CancellationToken ct) =>
        CallStepAsync(charger, "StatusNotification", "StatusNotification",
            OcppJson.ToElement(new StatusNotificationRequest(Connector, ChargePointErrorCode.NoError, status, Timestamp: time.GetUtcNow())),
            _ => null, ct);

    /// <summary>Sends one CALL and times it under <paramref name="step"/>; <paramref name="problem"/> judges the answer (null: as expected).</summary>
    private async Task<bool> CallStepAsync(
        LoadChargePoint charger, string step, string action, JsonElement payload, Func<JsonElement, string?> problem, CancellationToken ct)
    {
        long started = time.GetTimestamp();
        string? failure;
        try
        {
            var response = await charger.Connection!.CallAsync(action, payload, options.CallTimeout, ct);
            long microseconds = (long)time.GetElapsedTime(started).TotalMicroseconds;
            failure = problem(response);
            if (failure is null)
            {
                statistics.RecordSuccess(step, microseconds);
                return true;
            }
        }
        catch (OcppCallErrorException ex)
        {
            failure = ex.ErrorCode;
        }
        catch (Exception ex) when (ex is OcppCallTimeoutException or OcppNotConnectedException or OperationCanceledException or WebSocketException
                                       or KeyNotFoundException or JsonException)
        {
            failure = LoadRunner.Describe(ex);
        }

        statistics.RecordError(step, failure);
        return false;
    }

    /// <summary>An API request of the journey, timed under <paramref name="step"/> and bounded by the call timeout.</summary>
    private async Task<bool> ApiStepAsync(string step, Func<CancellationToken, Task<string?>> request, CancellationToken ct)
    {
        long started = time.GetTimestamp();
        string? failure;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.CallTimeout);
        try
        {
            failure = await request(timeout.Token);
            if (failure is null)
            {
                statistics.RecordSuccess(step, (long)time.GetElapsedTime(started).TotalMicroseconds);
                return true;
            }
        }
        catch (DemoStepException ex)
        {
            failure = ex.StatusCode is { } code ? $"HTTP {(int)code}" : ex.Message;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            failure = "timeout";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
            failure = LoadRunner.Describe(ex);
        }

        statistics.RecordError(step, failure);
        return false;
    }

    private static string? DataTransferProblem(JsonElement response)
    {
        var answer = OcppJson.Deserialize<DataTransferResponse>(response);
        return answer.Status == DataTransferStatus.Accepted ? null
            : answer.Reason() is { } reason ? $"{answer.Status} ({reason})" : answer.Status.ToString();
    }

    private static string? IdTagProblem(IdTagInfo info) => info.Status == AuthorizationStatus.Accepted ? null : info.Status.ToString();
}
