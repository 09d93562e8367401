using System.Collections.Frozen;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Routes each central-system CALL to the handler of its action.</summary>
internal sealed class ServerCallDispatcher : IOcppServerCallHandler
{
    private static readonly FrozenSet<string> ChargePointActions = new[]
    {
        "Authorize", "BootNotification", "DiagnosticsStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
        "StartTransaction", "StatusNotification", "StopTransaction",
        "LogStatusNotification", "SecurityEventNotification", "SignCertificate", "SignedFirmwareStatusNotification",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly ChargePoint _chargePoint;
    private readonly FrozenDictionary<string, IServerCallHandler> _handlers;

    public ServerCallDispatcher(ChargePoint chargePoint, IEnumerable<IDataTransferHandler> dataTransferHandlers)
    {
        _chargePoint = chargePoint;
        IServerCallHandler[] handlers =
        [
            new CancelReservationHandler(), new ChangeAvailabilityHandler(), new ChangeConfigurationHandler(), new ClearCacheHandler(),
            new ClearChargingProfileHandler(), new DataTransferHandler(dataTransferHandlers), new GetCompositeScheduleHandler(),
            new GetConfigurationHandler(), new GetDiagnosticsHandler(), new GetLocalListVersionHandler(), new RemoteStartTransactionHandler(),
            new RemoteStopTransactionHandler(), new ReserveNowHandler(), new ResetHandler(), new SendLocalListHandler(),
            new SetChargingProfileHandler(), new TriggerMessageHandler(), new UnlockConnectorHandler(), new UpdateFirmwareHandler(),
            // OCPP 1.6 security whitepaper (edition 3)
            new CertificateSignedHandler(), new DeleteCertificateHandler(), new ExtendedTriggerMessageHandler(), new GetInstalledCertificateIdsHandler(),
            new GetLogHandler(), new InstallCertificateHandler(), new SignedUpdateFirmwareHandler(),
        ];
        _handlers = handlers.ToFrozenDictionary(h => h.Action, StringComparer.Ordinal);
    }

    /// <summary>The payload as printed: a new AuthorizationKey is the charger's secret and is not shown.</summary>
    private static string Printable(OcppCallFrame call) =>
        call.Action == "ChangeConfiguration" && call.Payload.ValueKind == System.Text.Json.JsonValueKind.Object
        && call.Payload.TryGetProperty("key", out var key) && key.ValueKind == System.Text.Json.JsonValueKind.String
        && string.Equals(key.GetString(), ChargePoint.AuthorizationKeyConfiguration, StringComparison.OrdinalIgnoreCase)
            ? """{"key":"AuthorizationKey","value":"[redacted]"}"""
            : call.Payload.GetRawText();

    public ValueTask<OcppServerCallReply> HandleAsync(OcppCallFrame call, CancellationToken cancellationToken)
    {
        _chargePoint.Raise(ChargePointEventKind.ServerCall, $"{call.Action} {Printable(call)}");
        if (_handlers.TryGetValue(call.Action, out var handler))
        {
            return ValueTask.FromResult(handler.Handle(_chargePoint, call));
        }

        return ValueTask.FromResult(ChargePointActions.Contains(call.Action)
            ? OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.NotSupported, $"{call.Action} is sent by a charge point, not to one")
            : OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.NotImplemented, $"Unknown action {call.Action}"));
    }
}
