using Microsoft.Extensions.Options;
using OcppServer.Authorization.Evidence;
using OcppServer.ChargePoints;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

public sealed class BootNotificationHandler(
    IChargePointStore chargePoints,
    IEvidenceStore evidence,
    IEnumerable<IChargePointBootObserver> bootObservers,
    IOptionsMonitor<OcppOptions> options,
    TimeProvider time) : OcppCallHandler<BootNotificationRequest, BootNotificationResponse>
{
    public override string Action => "BootNotification";

    public override async Task<BootNotificationResponse> HandleAsync(
        OcppCallContext context, BootNotificationRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var chargePoint = await chargePoints.GetAsync(context.ChargePointId, cancellationToken);
        var status = chargePoint?.RegistrationStatus switch
        {
            RegistrationStatuses.Accepted => RegistrationStatus.Accepted,
            RegistrationStatuses.Pending => RegistrationStatus.Pending,
            _ => RegistrationStatus.Rejected,
        };

        var boot = new BootInfo(
            request.ChargePointVendor, request.ChargePointModel, request.ChargePointSerialNumber, request.ChargeBoxSerialNumber,
            request.FirmwareVersion, request.Iccid, request.Imsi, request.MeterType, request.MeterSerialNumber);
        await chargePoints.RecordBootAsync(context.ChargePointId, boot, status.ToString(), now, cancellationToken);
        // A reboot: no connector session survives it (ConnectorSessions); the charger reports its connectors anew.
        await evidence.EndSessionsAsync(context.ChargePointId, now, cancellationToken);

        context.Connection.IsRegistrationAccepted = status == RegistrationStatus.Accepted;
        if (status == RegistrationStatus.Accepted)
        {
            foreach (var observer in bootObservers)
            {
                context.RunAfterReply(ct => observer.OnBootAcceptedAsync(context.ChargePointId, ct));
            }
        }

        return new BootNotificationResponse(status, now, options.CurrentValue.HeartbeatIntervalSeconds);
    }
}
