using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

public sealed class FirmwareStatusNotificationHandler(IChargePointStore chargePoints, TimeProvider time)
    : OcppCallHandler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse>
{
    public override string Action => "FirmwareStatusNotification";

    public override async Task<FirmwareStatusNotificationResponse> HandleAsync(
        OcppCallContext context, FirmwareStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await chargePoints.RecordFirmwareOrDiagnosticsStatusAsync(context.ChargePointId, firmware: true, request.Status, time.GetUtcNow(), cancellationToken);
        return new FirmwareStatusNotificationResponse();
    }
}
