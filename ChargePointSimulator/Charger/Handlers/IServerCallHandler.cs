using System.Text.Json;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Answers one central-system action; the dispatcher picks it by <see cref="Action"/>.</summary>
internal interface IServerCallHandler
{
    string Action { get; }

    OcppServerCallReply Handle(ChargePoint chargePoint, OcppCallFrame call);
}

/// <summary>The answer to a server CALL and the work to do once it is sent.</summary>
internal readonly record struct HandlerResult(object Response, Func<CancellationToken, Task>? Then = null);

/// <summary>Parses the request payload (a malformed one is answered with a CALLERROR) and answers it.</summary>
internal abstract class ServerCallHandler<TRequest> : IServerCallHandler
{
    public abstract string Action { get; }

    public OcppServerCallReply Handle(ChargePoint chargePoint, OcppCallFrame call)
    {
        TRequest request;
        try
        {
            request = OcppJson.Deserialize<TRequest>(call.Payload);
        }
        catch (JsonException ex)
        {
            return OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.FormationViolation, $"Invalid {Action} payload: {ex.Message}");
        }

        var result = Handle(chargePoint, request);
        return OcppServerCallReply.Result(call.UniqueId, result.Response, result.Then);
    }

    protected abstract HandlerResult Handle(ChargePoint chargePoint, TRequest request);
}
