using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted with a file name, then LogStatusNotification Uploading and Uploaded.</summary>
internal sealed class GetLogHandler : ServerCallHandler<GetLogRequest>
{
    public override string Action => "GetLog";

    protected override HandlerResult Handle(ChargePoint chargePoint, GetLogRequest request)
    {
        var (response, then) = chargePoint.GetLog(request);
        return new(response, then);
    }
}
