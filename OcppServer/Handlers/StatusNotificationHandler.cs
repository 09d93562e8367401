using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

public sealed class StatusNotificationHandler(
    IChargePointStore chargePoints,
    TimeProvider time) : OcppCallHandler<StatusNotificationRequest, StatusNotificationResponse>
{
    public override string Action => "StatusNotification";

    public override async Task<StatusNotificationResponse> HandleAsync(
        OcppCallContext context, StatusNotificationRequest request, CancellationToken cancellationToken)
    {
        var status = new ConnectorStatus(
            request.ConnectorId, request.Status, request.ErrorCode, request.Info, request.VendorId, request.VendorErrorCode, request.Timestamp);
        // A status without a vehicle ends the connector's session and discards its evidence in the same commit.
        await chargePoints.RecordStatusAsync(
            context.ChargePointId, status, ConnectorSessions.IsOccupied(status.Status), time.GetUtcNow(), cancellationToken);

        return new StatusNotificationResponse();
    }
}
