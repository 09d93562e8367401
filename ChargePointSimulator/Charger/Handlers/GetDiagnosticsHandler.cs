using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Answers the file name, then sends DiagnosticsStatusNotification Uploading and Uploaded.</summary>
internal sealed class GetDiagnosticsHandler : ServerCallHandler<GetDiagnosticsRequest>
{
    public override string Action => "GetDiagnostics";

    protected override HandlerResult Handle(ChargePoint chargePoint, GetDiagnosticsRequest request)
    {
        var (fileName, then) = chargePoint.GetDiagnostics(request);
        return new(new GetDiagnosticsResponse(fileName), then);
    }
}
