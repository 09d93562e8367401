using OcppServer.Maintenance;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

/// <summary>A log upload's progress (GetLog, OCPP 1.6 security whitepaper; OCA TC_079): stored before it is answered.</summary>
public sealed class LogStatusNotificationHandler(IMaintenanceReportStore reports, TimeProvider time)
    : OcppCallHandler<LogStatusNotificationRequest, LogStatusNotificationResponse>
{
    public override string Action => "LogStatusNotification";

    public override async Task<LogStatusNotificationResponse> HandleAsync(
        OcppCallContext context, LogStatusNotificationRequest request, CancellationToken cancellationToken)
    {
        await reports.RecordAsync(new MaintenanceReport
        {
            ChargePointId = context.ChargePointId, Kind = MaintenanceReportKinds.Log, Status = request.Status,
            RequestId = request.RequestId, ReceivedAt = time.GetUtcNow(),
        }, cancellationToken);
        return new LogStatusNotificationResponse();
    }
}
