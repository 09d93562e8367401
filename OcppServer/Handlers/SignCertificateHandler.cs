using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Security;

namespace OcppServer.Handlers;

/// <summary>
/// The charger's certificate signing request (OCPP 1.6 security whitepaper; OCA TC_074): Accepted or Rejected at once;
/// when the server signs itself, the certificate follows in CertificateSigned after the answer.
/// </summary>
public sealed class SignCertificateHandler(ChargePointCertificateSigner signer) : OcppCallHandler<SignCertificateRequest, SignCertificateResponse>
{
    public override string Action => "SignCertificate";

    public override async Task<SignCertificateResponse> HandleAsync(OcppCallContext context, SignCertificateRequest request, CancellationToken cancellationToken)
    {
        var decision = await signer.ReceiveAsync(
            context.ChargePointId, context.Connection.Admission.SecurityProfile, context.Connection.RemoteAddress, request.Csr, cancellationToken);
        if (decision is { Accepted: true, SignsItself: true, Id: { } id })
        {
            context.RunAfterReply(ct => signer.SignAndSendAsync(id, ct));
        }

        return new SignCertificateResponse(decision.Accepted ? "Accepted" : "Rejected");
    }
}
