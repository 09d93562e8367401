using System.Text.Json;
using OcppServer.Commands;

namespace OcppServer.Api;

public static class CommandsApi
{
    public static RouteGroupBuilder MapCommandsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/chargepoints/{id}/commands/{action}", SendAsync)
            .WithTags("Charge points")
            .WithName("SendCommand")
            .WithSummary("Send an OCPP 1.6 call (body = its request payload) and return the charger's response payload (secrets redacted)");
        return api;
    }

    public static async Task<IResult> SendAsync(
        string id, string action, HttpRequest request, ChargePointCommandService commands, CancellationToken cancellationToken)
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

        try
        {
            return TypedResults.Ok(await commands.SendAsync(id, action, payload, cancellationToken));
        }
        catch (CommandFailedException ex)
        {
            return ex.Kind switch
            {
                CommandFailureKind.UnknownAction => ApiProblems.NotFound(ex.Message),
                CommandFailureKind.InvalidPayload => ApiProblems.BadRequest($"Invalid {action} request", ex.Message),
                CommandFailureKind.ChargePointNotFound => ApiProblems.NotFound(ex.Message),
                CommandFailureKind.NotConnected => ApiProblems.Conflict(ex.Message),
                CommandFailureKind.Timeout => TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: ex.Message),
                _ => TypedResults.Problem(
                    statusCode: StatusCodes.Status502BadGateway,
                    title: ex.Message,
                    extensions: ex.ErrorCode is null ? null : new Dictionary<string, object?> { ["ocppErrorCode"] = ex.ErrorCode }),
            };
        }
    }
}
