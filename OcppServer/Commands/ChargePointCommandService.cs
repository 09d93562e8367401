using System.Text.Json;
using Microsoft.Extensions.Options;
using OcppServer.ChargePoints;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Messages;
using OcppServer.Ocpp.Redaction;
using OcppServer.Ocpp.Validation;
using OcppServer.Security;

namespace OcppServer.Commands;

/// <summary>
/// Sends server-to-charger calls: validates the request against its schema, sends it on the live connection,
/// validates the answer, and records the command with its outcome; secrets are redacted from what is recorded and from
/// the answer returned.
/// </summary>
public sealed class ChargePointCommandService(
    IChargePointCalls chargers,
    IChargePointStore chargePoints,
    OcppSchemaValidator validator,
    ICommandLog commands,
    OcppPayloadRedaction redaction,
    IOptionsMonitor<OcppOptions> options,
    IOptionsMonitor<ChargePointSecurityOptions> security,
    TimeProvider time,
    ILogger<ChargePointCommandService> logger)
{
    public async Task<JsonElement> SendAsync(string chargePointId, string action, JsonElement payload, CancellationToken cancellationToken)
    {
        if (!ChargePointCommands.Actions.Contains(action))
        {
            throw new CommandFailedException(CommandFailureKind.UnknownAction, $"{action} is not an OCPP 1.6 central system command");
        }

        if (validator.ValidateRequest(action, payload) is { } violation)
        {
            throw new CommandFailedException(
                CommandFailureKind.InvalidPayload, $"{violation.ErrorCode}: {violation.Description}", field: violation.Field);
        }

        if (action == "UpdateFirmware" && security.CurrentValue.RequireSignedFirmware
            && await chargePoints.GetAsync(chargePointId, cancellationToken) is { SecurityProfile: >= SecurityProfiles.TlsWithBasic } secured)
        {
            throw new CommandFailedException(CommandFailureKind.Refused,
                $"UpdateFirmware is refused for {chargePointId}: it is at security profile {secured.SecurityProfile}, which takes signed firmware only " +
                "(Security:RequireSignedFirmware); send SignedUpdateFirmware with the signing certificate and the firmware's signature");
        }

        var sentAt = time.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(options.CurrentValue.CallTimeoutSeconds);
        JsonElement answer;
        try
        {
            answer = await chargers.CallAsync(chargePointId, action, payload, timeout, cancellationToken);
        }
        catch (ChargePointNotConnectedException)
        {
            // Nothing was sent: nothing to record.
            bool registered = await chargePoints.GetAsync(chargePointId, cancellationToken) is not null;
            throw registered
                ? new CommandFailedException(CommandFailureKind.NotConnected, $"Charge point {chargePointId} is not connected")
                : new CommandFailedException(CommandFailureKind.ChargePointNotFound, $"Charge point {chargePointId} is not registered");
        }
        catch (Exception ex) when (ex is OcppCallErrorException or OcppMalformedAnswerException or OcppCallTimeoutException or ChargePointDisconnectedException)
        {
            throw await FailedAsync(chargePointId, action, payload, sentAt, ex);
        }

        var invalid = validator.ValidateResponse(action, answer);
        // A charger that does not keep AuthorizationKey write-only reveals it in GetConfiguration: neither kept nor returned.
        var response = redaction.RedactResult(answer);
        if (invalid is not null)
        {
            await RecordAsync(chargePointId, action, payload, sentAt, "InvalidResponse", response, invalid.ErrorCode, invalid.Description);
            throw new CommandFailedException(CommandFailureKind.InvalidResponse, $"Charge point answered {action} with an invalid payload: {invalid.Description}");
        }

        await RecordAsync(chargePointId, action, payload, sentAt, "Completed", response);
        return response;
    }

    /// <summary>Records how the call failed and says so as the command's failure.</summary>
    private async Task<CommandFailedException> FailedAsync(string chargePointId, string action, JsonElement payload, DateTimeOffset sentAt, Exception failure)
    {
        switch (failure)
        {
            case OcppCallErrorException ex:
                await RecordAsync(chargePointId, action, payload, sentAt, "CallError", null, ex.ErrorCode, ex.Description);
                return new CommandFailedException(CommandFailureKind.CallError, $"Charge point answered {action} with {ex.ErrorCode}: {ex.Description}", ex.ErrorCode);
            case OcppMalformedAnswerException ex:
                await RecordAsync(chargePointId, action, payload, sentAt, "InvalidResponse", null, OcppErrorCode.FormationViolation, ex.Description);
                return new CommandFailedException(CommandFailureKind.InvalidResponse, ex.Message);
            case OcppCallTimeoutException ex:
                await RecordAsync(chargePointId, action, payload, sentAt, "Timeout", null);
                return new CommandFailedException(CommandFailureKind.Timeout, ex.Message);
            default:
                await RecordAsync(chargePointId, action, payload, sentAt, "Disconnected", null);
                return new CommandFailedException(CommandFailureKind.NotConnected, failure.Message);
        }
    }

    /// <summary>Typed form for calls the server composes itself.</summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(string chargePointId, string action, TRequest request, CancellationToken cancellationToken)
    {
        var response = await SendAsync(chargePointId, action, OcppJson.ToElement(request), cancellationToken);
        return OcppJson.Deserialize<TResponse>(response);
    }

    private async Task RecordAsync(
        string chargePointId, string action, JsonElement request, DateTimeOffset sentAt, string outcome, JsonElement? response,
        string? errorCode = null, string? errorDescription = null)
    {
        logger.LogInformation("{Action} to {ChargePointId}: {Outcome}", action, chargePointId, outcome);
        // Recorded even when the caller has given up: the charger may have acted on it.
        await commands.InsertAsync(
            new CommandRecord(chargePointId, action, redaction.RedactCallPayload(action, request),
                response?.GetRawText(), outcome, errorCode, errorDescription,
                sentAt, time.GetUtcNow()),
            CancellationToken.None);
    }
}
