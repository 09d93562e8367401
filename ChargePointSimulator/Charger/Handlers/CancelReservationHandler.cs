using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

internal sealed class CancelReservationHandler : ServerCallHandler<CancelReservationRequest>
{
    public override string Action => "CancelReservation";

    protected override HandlerResult Handle(ChargePoint chargePoint, CancelReservationRequest request) =>
        new(new StatusResponse(chargePoint.CancelReservation(request.ReservationId)));
}
