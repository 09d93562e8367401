using System.Text.Json;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Ocpp.Connections;
using OcppServer.Security;

namespace OcppServer.Api;

public static class CommandsApi
{
    public static RouteGroupBuilder MapCommandsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/chargepoints/{id}/commands/{action}", SendAsync)
            .WithTags("Charge points")
            .WithName("SendCommand")
            .WithSummary("Send an OCPP 1.6 call (body = its request payload) and return the charger's response payload (secrets redacted)")
            .WithDescription("404: unknown action or charge point; 409: not connected; 502: the charger answered with a CALLERROR "
                + "(its code in ocppErrorCode) or an unusable answer; 504: no answer within Ocpp:CallTimeoutSeconds.")
            .Accepts<JsonElement>("application/json")
            .Produces<JsonElement>()
            .ProducesProblems(400, 404, 409, 413, 502, 504);
        return api;
    }

    public static async Task<IResult> SendAsync(
        string id, string action, HttpRequest request, ChargePointCommandService commands, IChargePointStore chargePoints,
        IChargePointCalls chargers, AuthorizationKeyRotation rotation, SecurityProfileUpgrade upgrade,
        ChargePointCertificateAuthority certificates, CancellationToken cancellationToken)
    {
        JsonElement payload;
        try
        {
            using var document = await JsonDocument.ParseAsync(
                request.Body, new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken);
            payload = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return ApiProblems.BadRequest("Body is not valid JSON", ex.Message);
        }

        return await SendPayloadAsync(id, action, payload, commands, chargePoints, chargers, rotation, upgrade, certificates, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="payload"/> as the request of <paramref name="action"/> (what <see cref="SendAsync"/> does
    /// with the request's body; the dashboard's command forms call it with the payload they compose). A payload that
    /// breaks the action's schema is a 400 naming the property at fault in its <c>field</c> extension.
    /// </summary>
    public static async Task<IResult> SendPayloadAsync(
        string id, string action, JsonElement payload, ChargePointCommandService commands, IChargePointStore chargePoints,
        IChargePointCalls chargers, AuthorizationKeyRotation rotation, SecurityProfileUpgrade upgrade,
        ChargePointCertificateAuthority certificates, CancellationToken cancellationToken)
    {
        if (ConfigurationChange(action, payload, AuthorizationKeyRotation.ConfigurationKey) is { } key)
        {
            return await ChangeAuthorizationKeyAsync(id, key, chargePoints, chargers, rotation, cancellationToken);
        }

        if (ConfigurationChange(action, payload, SecurityProfileUpgrade.ConfigurationKey) is { } profile)
        {
            // The stored profile follows the charger's: through the upgrade, which only raises it.
            var (problem, outcome) = await ChargePointsApi.RaiseProfileAsync(
                id, int.TryParse(profile, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) ? value : null,
                chargePoints, chargers, upgrade, certificates, cancellationToken);
            return problem ?? (outcome!.Result == ProfileUpgradeResult.Unanswered ? ChargePointsApi.UnansweredUpgrade(id, outcome) : ChargerAnswer(outcome.ChargerStatus));
        }

        try
        {
            return TypedResults.Ok(await commands.SendAsync(id, action, payload, cancellationToken));
        }
        catch (CommandFailedException ex)
        {
            return ex.Kind switch
            {
                CommandFailureKind.UnknownAction => ApiProblems.NotFound(ex.Message),
                CommandFailureKind.InvalidPayload => ApiProblems.BadRequest($"Invalid {action} request", ex.Message, ex.Field),
                CommandFailureKind.ChargePointNotFound => ApiProblems.NotFound(ex.Message),
                CommandFailureKind.NotConnected => ApiProblems.Conflict(ex.Message),
                CommandFailureKind.Refused => ApiProblems.Conflict($"{action} refused by policy", ex.Message),
                CommandFailureKind.Timeout => TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: ex.Message),
                _ => TypedResults.Problem(
                    statusCode: StatusCodes.Status502BadGateway,
                    title: ex.Message,
                    extensions: ex.ErrorCode is null ? null : new Dictionary<string, object?> { ["ocppErrorCode"] = ex.ErrorCode }),
            };
        }
    }

    /// <summary>The new value of a <c>ChangeConfiguration</c> of <paramref name="configurationKey"/> (keys are matched without regard to case, as chargers do).</summary>
    private static string? ConfigurationChange(string action, JsonElement payload, string configurationKey) =>
        action == "ChangeConfiguration" && payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
        && string.Equals(key.GetString(), configurationKey, StringComparison.OrdinalIgnoreCase)
            ? payload.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : ""
            : null;

    /// <summary>
    /// A new AuthorizationKey goes through the rotation, so that the stored key changes exactly when the charger takes
    /// it; the answer is the charger's ChangeConfiguration.conf as for any other command.
    /// </summary>
    private static async Task<IResult> ChangeAuthorizationKeyAsync(
        string id, string key, IChargePointStore chargePoints, IChargePointCalls chargers,
        AuthorizationKeyRotation rotation, CancellationToken cancellationToken)
    {
        if (await ChargePointsApi.PrepareRotationAsync(id, key, chargePoints, chargers, cancellationToken) is { } problem)
        {
            return problem;
        }

        var outcome = await ChargePointsApi.RotateAsync(id, key, chargers, rotation, cancellationToken);
        return outcome.Result == KeyRotationResult.Unanswered ? ChargePointsApi.UnansweredRotation(id, outcome) : ChargerAnswer(outcome.ChargerStatus);
    }

    /// <summary>The charger's ChangeConfiguration.conf, or (a CALLERROR, a failed step before it) 502 as for any other command.</summary>
    private static IResult ChargerAnswer(string status) => status is "Accepted" or "Rejected" or "RebootRequired" or "NotSupported"
        ? TypedResults.Ok(new { status })
        : TypedResults.Problem(
            statusCode: StatusCodes.Status502BadGateway,
            title: $"Charge point answered ChangeConfiguration with {status}",
            extensions: new Dictionary<string, object?> { ["ocppErrorCode"] = status });
}
