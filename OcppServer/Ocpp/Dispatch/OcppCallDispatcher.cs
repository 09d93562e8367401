using System.Collections.Frozen;
using System.Diagnostics;
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
    private readonly IOcppTransportTelemetry _telemetry;

    public OcppCallDispatcher(
        IEnumerable<IOcppCallHandler> handlers,
        OcppSchemaValidator validator,
        IOptions<OcppOptions> options,
        ILogger<OcppCallDispatcher> logger,
        IOcppTransportTelemetry? telemetry = null)
    {
        _handlers = handlers.ToFrozenDictionary(h => h.Action, StringComparer.Ordinal);
        _validator = validator;
        _validateOutgoing = options.Value.ValidateOutgoing;
        _logger = logger;
        _telemetry = telemetry ?? NoOcppTransportTelemetry.Instance;
    }

    public async Task<OcppReply> DispatchAsync(ChargePointConnection connection, OcppCall call, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        bool known = _validator.HasAction(call.Action);
        // The label is one of 1.6's actions: the text a charger sent as an unknown action never becomes one.
        string action = known ? call.Action : IOcppTransportTelemetry.UnknownAction;
        var activity = _telemetry.StartCall(action, connection.ChargePointId);
        string? outcome = null;
        try
        {
            if (!known)
            {
                outcome = OcppErrorCode.NotImplemented;
                return Error(call, outcome, $"Unknown action {Shown(call.Action)}");
            }

            if (!_handlers.TryGetValue(call.Action, out var handler))
            {
                outcome = OcppErrorCode.NotSupported;
                return Error(call, outcome, $"{call.Action} is sent by a central system, not by a charge point");
            }

            if (_validator.ValidateRequest(call.Action, call.Payload) is { } violation)
            {
                outcome = violation.ErrorCode;
                return Error(call, outcome, violation.Description);
            }

            if (call.Action != BootNotification && !connection.IsRegistrationAccepted)
            {
                outcome = OcppErrorCode.SecurityError;
                return Error(call, outcome, "Charge point is not accepted: send BootNotification and wait for Accepted");
            }

            var context = new OcppCallContext(connection, call.UniqueId);
            JsonElement response;
            try
            {
                response = await handler.HandleAsync(context, call.Payload, cancellationToken);
            }
            catch (OcppErrorException ex)
            {
                outcome = ex.ErrorCode;
                return Error(call, outcome, ex.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcome = Cancelled;
                throw;
            }
            catch (Exception ex)
            {
                DispatchLog.HandlerFailed(_logger, ex, call.Action, connection.ChargePointId, call.UniqueId);
                outcome = OcppErrorCode.InternalError;
                return OcppReply.Of(OcppFrameWriter.CallError(call.UniqueId, OcppErrorCode.InternalError, $"{call.Action} could not be processed"));
            }

            if (_validateOutgoing && _validator.ValidateResponse(call.Action, response) is { } invalid)
            {
                DispatchLog.ResponseViolatesSchema(_logger, call.Action, invalid.Description);
                outcome = OcppErrorCode.InternalError;
                return Error(call, outcome, $"{call.Action} response could not be produced");
            }

            outcome = IOcppTransportTelemetry.CallResult;
            return new OcppReply(OcppFrameWriter.CallResult(call.UniqueId, response), context.AfterReply);
        }
        finally
        {
            if (ReferenceEquals(outcome, Cancelled))
            {
                activity?.Dispose(); // stopping: nothing was answered
            }
            else
            {
                // Nothing set: this method threw, and the connection answers InternalError.
                _telemetry.CallAnswered(action, outcome ?? OcppErrorCode.InternalError, started, activity);
            }
        }
    }

    /// <summary>The outcome of a CALL left unanswered because the server is stopping.</summary>
    private const string Cancelled = "Cancelled";

    /// <summary>An action name as it may appear in a description: a charger can send any text there.</summary>
    private static string Shown(string action) => action.Length <= 64 ? action : action[..64] + "…";

    private OcppReply Error(OcppCall call, string code, string description)
    {
        DispatchLog.AnsweredWithError(_logger, Shown(call.Action), call.UniqueId, code, description);
        return OcppReply.Of(OcppFrameWriter.CallError(call.UniqueId, code, description));
    }
}

/// <summary>The dispatcher's events: ids 1100-1199.</summary>
internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "{Action} {UniqueId} from {ChargePointId} failed; answered InternalError")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string action, string chargePointId, string uniqueId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Our {Action} response violates its schema: {Description}")]
    public static partial void ResponseViolatesSchema(ILogger logger, string action, string description);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Answering {Action} {UniqueId} with {ErrorCode}: {Description}")]
    public static partial void AnsweredWithError(ILogger logger, string action, string uniqueId, string errorCode, string description);
}
