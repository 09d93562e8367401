using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class GetConfigurationHandler : ServerCallHandler<GetConfigurationRequest>
{
    public override string Action => "GetConfiguration";

    protected override HandlerResult Handle(ChargePoint chargePoint, GetConfigurationRequest request) =>
        new(chargePoint.Configuration.Read(request.Key));
}
