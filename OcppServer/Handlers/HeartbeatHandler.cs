using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

public sealed class HeartbeatHandler(IChargePointStore chargePoints, TimeProvider time)
    : OcppCallHandler<HeartbeatRequest, HeartbeatResponse>
{
    public override string Action => "Heartbeat";

    public override async Task<HeartbeatResponse> HandleAsync(OcppCallContext context, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await chargePoints.RecordHeartbeatAsync(context.ChargePointId, now, cancellationToken);
        return new HeartbeatResponse(now);
    }
}
