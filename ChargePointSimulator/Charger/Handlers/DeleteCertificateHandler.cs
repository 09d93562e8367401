using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger.Handlers;

/// <summary>Accepted when an installed CA certificate has that hash data, else NotFound.</summary>
internal sealed class DeleteCertificateHandler : ServerCallHandler<DeleteCertificateRequest>
{
    public override string Action => "DeleteCertificate";

    protected override HandlerResult Handle(ChargePoint chargePoint, DeleteCertificateRequest request) =>
        new(new DeleteCertificateResponse(chargePoint.DeleteCertificate(request)));
}
