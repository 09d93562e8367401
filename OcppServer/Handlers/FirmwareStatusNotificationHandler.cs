using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Handlers;

public sealed class FirmwareStatusNotificationHandler(ChargePointRepository chargePoints, TimeProvider time)
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
