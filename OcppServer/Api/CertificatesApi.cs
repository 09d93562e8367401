using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OcppServer.Ocpp.Connections;
using OcppServer.Security;

namespace OcppServer.Api;

/// <summary>
/// A client certificate to revoke: its serial number (hex, colons and spaces allowed), and optionally its issuer's
/// distinguished name (without it, the serial number is revoked whoever issued it).
/// </summary>
public sealed record RevokeCertificateRequest(string? SerialNumber, string? Issuer, string? Reason);

/// <summary>A revoked certificate; <see cref="ClosedConnections"/>: the charge points whose live connection it had admitted (closed with 1008).</summary>
public sealed record RevokedCertificateView(string SerialNumber, string? Issuer, string? Reason, DateTimeOffset RevokedAt, IReadOnlyList<string>? ClosedConnections = null);

/// <summary>A charger's certificate signing request (SignCertificate) the server accepted, and what became of it.</summary>
public sealed record SigningRequestView(
    long Id, string ChargePointId, string Status, string Signer, string? CertificateSerialNumber, string? Detail,
    DateTimeOffset ReceivedAt, DateTimeOffset UpdatedAt, string? Csr = null)
{
    public static SigningRequestView Of(CertificateSigningRecord r, bool withCsr = false) =>
        new(r.Id, r.ChargePointId, r.Status, r.Signer, r.CertificateSerialNumber, r.Detail, r.ReceivedAt, r.UpdatedAt, withCsr ? r.Csr : null);
}

/// <summary>An operator-approved signer's certificate for a pending request: PEM, the charger's certificate first, then its CA(s).</summary>
public sealed record SignedCertificateRequest(string? CertificateChain);

/// <summary>A submitted certificate as it now stands, and the charger's answer to CertificateSigned (null: no answer).</summary>
public sealed record SignedCertificateDeliveryView(SigningRequestView Request, string? ChargerStatus);

public static class CertificatesApi
{
    public static RouteGroupBuilder MapCertificatesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/certificates").WithTags("Security");
        group.MapPost("/revoked", RevokeAsync).WithName("RevokeCertificate")
            .WithSummary("Revoke a charge point's client certificate (security profile 3): its handshakes are refused and its live connection closed")
            .WithDescription("201 when newly revoked, 200 when it was revoked already; either way its live connections are closed.")
            .Produces<RevokedCertificateView>(StatusCodes.Status201Created).Produces<RevokedCertificateView>()
            .ProducesProblems(400).ProducesBodyProblems();
        group.MapGet("/revoked", ListAsync).WithName("ListRevokedCertificates").WithSummary("Revoked client certificates")
            .Produces<List<RevokedCertificateView>>();
        group.MapGet("/signing-requests", ListSigningRequestsAsync).WithName("ListCertificateSigningRequests")
            .WithSummary("The chargers' certificate signing requests (SignCertificate) newest first; status=Pending: those waiting for a signer")
            .Produces<List<SigningRequestView>>();
        group.MapGet("/signing-requests/{requestId:long}", GetSigningRequestAsync).WithName("GetCertificateSigningRequest")
            .WithSummary("One signing request with its CSR (PEM), for an operator-approved signer")
            .Produces<SigningRequestView>().ProducesProblems(404);
        group.MapPost("/signing-requests/{requestId:long}/certificate", SubmitSignedCertificateAsync).WithName("SubmitSignedCertificate")
            .WithSummary("The signed certificate chain for a pending request: checked against the request and the charge point CA, then sent in CertificateSigned")
            .Produces<SignedCertificateDeliveryView>().ProducesProblems(400, 404, 409).ProducesBodyProblems();
        return api;
    }

    public static async Task<IResult> RevokeAsync(
        RevokeCertificateRequest request, IRevokedCertificateStore revoked, IChargePointCalls chargers,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (ChargePointCertificateAuthority.TryNormalizeSerialNumber(request.SerialNumber) is not { } serialNumber)
        {
            return ApiProblems.BadRequest("Invalid serialNumber", "serialNumber is the certificate's serial number in hex (up to 64 bytes; colons and spaces are ignored).");
        }

        string issuer = "";
        if (!string.IsNullOrWhiteSpace(request.Issuer))
        {
            try
            {
                issuer = new X500DistinguishedName(request.Issuer).Name;
            }
            catch (CryptographicException)
            {
                return ApiProblems.BadRequest("Invalid issuer", "issuer is a distinguished name, e.g. \"CN=Charge Point CA, O=Operator\".");
            }
        }

        if (request.Reason is { Length: > 256 })
        {
            return ApiProblems.BadRequest("Invalid reason", "reason is at most 256 characters.");
        }

        var row = new RevokedCertificate { SerialNumber = serialNumber, Issuer = issuer, Reason = request.Reason, RevokedAt = time.GetUtcNow() };
        bool added = await revoked.AddAsync(row, cancellationToken);

        // The live connections that this certificate admitted end now; their next handshake is refused.
        var closed = await chargers.RecheckCertificateAsync(serialNumber, issuer, "Certificate revoked", cancellationToken);

        var view = new RevokedCertificateView(serialNumber, issuer.Length == 0 ? null : issuer, row.Reason, row.RevokedAt, closed);
        return added ? TypedResults.Created($"/api/certificates/revoked", view) : TypedResults.Ok(view);
    }

    public static async Task<IResult> ListAsync(IRevokedCertificateStore revoked, CancellationToken cancellationToken) =>
        TypedResults.Ok((await revoked.ListAsync(cancellationToken))
            .Select(r => new RevokedCertificateView(r.SerialNumber, r.Issuer.Length == 0 ? null : r.Issuer, r.Reason, r.RevokedAt)).ToList());

    public static async Task<IResult> ListSigningRequestsAsync(
        string? chargePointId, string? status, int? limit, ICertificateSigningRequestStore requests, CancellationToken cancellationToken) =>
        TypedResults.Ok((await requests.ListAsync(chargePointId, status, ApiProblems.ClampLimit(limit), cancellationToken)).Select(r => SigningRequestView.Of(r)).ToList());

    public static async Task<IResult> GetSigningRequestAsync(long requestId, ICertificateSigningRequestStore requests, CancellationToken cancellationToken) =>
        await requests.GetAsync(requestId, cancellationToken) is { } request
            ? TypedResults.Ok(SigningRequestView.Of(request, withCsr: true))
            : ApiProblems.NotFound($"No certificate signing request {requestId}");

    /// <summary>
    /// 200 with the request as it now stands (<c>Installed</c>, <c>RejectedByChargePoint</c>, <c>Undelivered</c>) and the
    /// charger's answer; 400 when the chain does not fit the request; 404; 409 when the request no longer waits for one.
    /// </summary>
    public static async Task<IResult> SubmitSignedCertificateAsync(
        long requestId, SignedCertificateRequest body, ChargePointCertificateSigner signer, CancellationToken cancellationToken)
    {
        var delivery = await signer.SubmitAsync(requestId, body.CertificateChain, cancellationToken);
        return delivery.Result switch
        {
            CertificateDeliveryResult.NotFound => ApiProblems.NotFound($"No certificate signing request {requestId}"),
            CertificateDeliveryResult.NotPending => ApiProblems.Conflict(
                $"Certificate signing request {requestId} is {delivery.Request?.Status}: it does not wait for a certificate"),
            CertificateDeliveryResult.Invalid => ApiProblems.BadRequest("Invalid certificateChain", delivery.Problem),
            _ => TypedResults.Ok(new SignedCertificateDeliveryView(SigningRequestView.Of(delivery.Request!), delivery.ChargerStatus)),
        };
    }
}
