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
}
