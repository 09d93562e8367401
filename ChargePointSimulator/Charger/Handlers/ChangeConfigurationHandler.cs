using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted / RebootRequired for writable keys with valid values, Rejected for read-only keys, NotSupported for unknown ones.</summary>
internal sealed class ChangeConfigurationHandler : ServerCallHandler<ChangeConfigurationRequest>
{
    public override string Action => "ChangeConfiguration";

    protected override HandlerResult Handle(ChargePoint chargePoint, ChangeConfigurationRequest request) =>
        new(new ChangeConfigurationResponse(chargePoint.Configuration.Change(request.Key, request.Value)));
}
