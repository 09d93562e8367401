using OcppServer.Maintenance;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

/// <summary>A signed firmware update's progress (OCPP 1.6 security whitepaper; OCA TC_080, TC_081): stored before it is answered.</summary>
public sealed class SignedFirmwareStatusNotificationHandler(IMaintenanceReportStore reports, TimeProvider time)
    : OcppCallHandler<SignedFirmwareStatusNotificationRequest, SignedFirmwareStatusNotificationResponse>
{
    public override string Action => "SignedFirmwareStatusNotification";

    public override async Task<SignedFirmwareStatusNotificationResponse> HandleAsync(
        OcppCallContext context, SignedFirmwareStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await reports.RecordAsync(new MaintenanceReport
        {
            ChargePointId = context.ChargePointId, Kind = MaintenanceReportKinds.SignedFirmware, Status = request.Status,
            RequestId = request.RequestId, ReceivedAt = time.GetUtcNow(),
        }, cancellationToken);
        return new SignedFirmwareStatusNotificationResponse();
    }
}
