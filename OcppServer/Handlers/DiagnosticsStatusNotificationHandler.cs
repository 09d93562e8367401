using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Handlers;

public sealed class DiagnosticsStatusNotificationHandler(ChargePointRepository chargePoints, TimeProvider time)
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
