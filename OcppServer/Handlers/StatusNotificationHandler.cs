using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Handlers;

public sealed class StatusNotificationHandler(
    ChargePointRepository chargePoints,
    IEnumerable<IConnectorStatusObserver> statusObservers,
    TimeProvider time) : OcppCallHandler<StatusNotificationRequest, StatusNotificationResponse>
{
    public override string Action => "StatusNotification";

    public override async Task<StatusNotificationResponse> HandleAsync(
        OcppCallContext context, StatusNotificationRequest request, CancellationToken cancellationToken)
    {
        var status = new ConnectorStatus(
            request.ConnectorId, request.Status, request.ErrorCode, request.Info, request.VendorId, request.VendorErrorCode, request.Timestamp);
        await chargePoints.RecordStatusAsync(context.ChargePointId, status, time.GetUtcNow(), cancellationToken);
        foreach (var observer in statusObservers)
        {
            await observer.OnStatusAsync(context.ChargePointId, status, cancellationToken);
        }

        return new StatusNotificationResponse();
    }
}
