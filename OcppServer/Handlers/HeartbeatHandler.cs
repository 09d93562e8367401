using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Handlers;

public sealed class HeartbeatHandler(ChargePointRepository chargePoints, TimeProvider time)
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
