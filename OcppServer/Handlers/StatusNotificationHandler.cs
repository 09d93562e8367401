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
        string chargePointId = context.ChargePointId;
        var now = time.GetUtcNow();
        await chargePoints.RecordStatusAsync(chargePointId, status, ConnectorSessions.IsOccupied(status.Status), now, cancellationToken, (c, t) =>
        {
            foreach (var observer in statusObservers)
            {
                observer.OnStatus(c, t, chargePointId, status, now);
            }
        });

        return new StatusNotificationResponse();
    }
}
