using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Stops a running transaction (reason UnlockCommand) and releases the cable.</summary>
internal sealed class UnlockConnectorHandler : ServerCallHandler<UnlockConnectorRequest>
{
    public override string Action => "UnlockConnector";

    protected override HandlerResult Handle(ChargePoint chargePoint, UnlockConnectorRequest request) =>
        new(new UnlockConnectorResponse(chargePoint.UnlockConnector(request.ConnectorId)));
}
