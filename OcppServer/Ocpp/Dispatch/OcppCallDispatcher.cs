using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Framing;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Ocpp.Dispatch;

/// <summary>
/// Routes a CALL to the handler of its action after the checks OCPP-J 1.6 §4.2.3 asks for, and turns every
/// failure into the matching CALLERROR. Nothing a charge point sends makes it throw.
/// </summary>
public sealed class OcppCallDispatcher : IOcppCallDispatcher
{
    private const string BootNotification = "BootNotification";

    private readonly FrozenDictionary<string, IOcppCallHandler> _handlers;
    private readonly OcppSchemaValidator _validator;
    private readonly bool _validateOutgoing;
    private readonly ILogger<OcppCallDispatcher> _logger;

    public OcppCallDispatcher(
        IEnumerable<IOcppCallHandler> handlers,
        OcppSchemaValidator validator,
        IOptions<OcppOptions> options,
        ILogger<OcppCallDispatcher> logger)
    {
        _handlers = handlers.ToFrozenDictionary(h => h.Action, StringComparer.Ordinal);
        _validator = validator;
        _validateOutgoing = options.Value.ValidateOutgoing;
        _logger = logger;
    }

    public async Task<OcppReply> DispatchAsync(ChargePointConnection connection, OcppCall call, CancellationToken cancellationToken)
    {
        if (!_validator.HasAction(call.Action))
        {
            return Error(call, OcppErrorCode.NotImplemented, $"Unknown action {call.Action}");
        }

        if (!_handlers.TryGetValue(call.Action, out var handler))
        {
            return Error(call, OcppErrorCode.NotSupported, $"{call.Action} is sent by a central system, not by a charge point");
        }

        if (_validator.ValidateRequest(call.Action, call.Payload) is { } violation)
        {
            return Error(call, violation.ErrorCode, violation.Description);
        }

        if (call.Action != BootNotification && !connection.IsRegistrationAccepted)
        {
            return Error(call, OcppErrorCode.SecurityError, "Charge point is not accepted: send BootNotification and wait for Accepted");
        }

        var context = new OcppCallContext(connection, call.UniqueId);
        JsonElement response;
        try
        {
            response = await handler.HandleAsync(context, call.Payload, cancellationToken);
        }
        catch (OcppErrorException ex)
        {
            return Error(call, ex.ErrorCode, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{Action} from {ChargePointId} failed", call.Action, connection.ChargePointId);
            return Error(call, OcppErrorCode.InternalError, $"{call.Action} could not be processed");
        }

        if (_validateOutgoing && _validator.ValidateResponse(call.Action, response) is { } invalid)
        {
            _logger.LogError("Our {Action} response violates its schema: {Description}", call.Action, invalid.Description);
            return Error(call, OcppErrorCode.InternalError, $"{call.Action} response could not be produced");
        }

        return new OcppReply(OcppFrameWriter.CallResult(call.UniqueId, response), context.AfterReply);
    }

    private OcppReply Error(OcppCall call, string code, string description)
    {
        _logger.LogInformation("Answering {Action} {UniqueId} with {ErrorCode}: {Description}", call.Action, call.UniqueId, code, description);
        return OcppReply.Of(OcppFrameWriter.CallError(call.UniqueId, code, description));
    }
}
