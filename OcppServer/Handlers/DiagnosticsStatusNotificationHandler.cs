using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

public sealed class DiagnosticsStatusNotificationHandler(IChargePointStore chargePoints, TimeProvider time)
    : OcppCallHandler<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse>
{
    public override string Action => "DiagnosticsStatusNotification";

    public override async Task<DiagnosticsStatusNotificationResponse> HandleAsync(
        OcppCallContext context, DiagnosticsStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await chargePoints.RecordFirmwareOrDiagnosticsStatusAsync(context.ChargePointId, firmware: false, request.Status, time.GetUtcNow(), cancellationToken);
        return new DiagnosticsStatusNotificationResponse();
    }
}
