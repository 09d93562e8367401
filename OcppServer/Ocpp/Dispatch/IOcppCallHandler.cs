using System.Text.Json;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Ocpp.Dispatch;

/// <summary>Handles one OCPP action sent by charge points. The payload has already passed its schema.</summary>
public interface IOcppCallHandler
{
    string Action { get; }

    Task<JsonElement> HandleAsync(OcppCallContext context, JsonElement payload, CancellationToken cancellationToken);
}

/// <summary>Typed base: deserialises the request and serialises the response with the OCPP-J conventions.</summary>
public abstract class OcppCallHandler<TRequest, TResponse> : IOcppCallHandler
    where TResponse : notnull
{
    public abstract string Action { get; }

    async Task<JsonElement> IOcppCallHandler.HandleAsync(OcppCallContext context, JsonElement payload, CancellationToken cancellationToken)
    {
        TRequest request;
        try
        {
            request = OcppJson.Deserialize<TRequest>(payload);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException)
        {
            // The schema accepted it, so this is a value our types cannot hold (e.g. an integer beyond 32 bits).
            throw new OcppErrorException(OcppErrorCode.PropertyConstraintViolation, $"Value out of range: {ex.Message}");
        }

        var response = await HandleAsync(context, request, cancellationToken);
        return OcppJson.ToElement(response);
    }

    public abstract Task<TResponse> HandleAsync(OcppCallContext context, TRequest request, CancellationToken cancellationToken);
}
