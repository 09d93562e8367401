using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>
/// Accepted / RebootRequired for writable keys with valid values, Rejected for read-only keys, NotSupported for unknown ones;
/// AuthorizationKey and SecurityProfile as the security whitepaper has them (<see cref="ChargePoint.ChangeSecuritySetting"/>).
/// </summary>
internal sealed class ChangeConfigurationHandler : ServerCallHandler<ChangeConfigurationRequest>
{
    public override string Action => "ChangeConfiguration";

    protected override HandlerResult Handle(ChargePoint chargePoint, ChangeConfigurationRequest request) =>
        chargePoint.ChangeSecuritySetting(request.Key, request.Value) is { } security
            ? new(new ChangeConfigurationResponse(security.Status), security.Then)
            : new(new ChangeConfigurationResponse(chargePoint.Configuration.Change(request.Key, request.Value)));
}
