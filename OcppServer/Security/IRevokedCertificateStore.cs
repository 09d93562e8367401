namespace OcppServer.Security;

/// <summary>
/// A certificate an operator revoked: <see cref="SerialNumber"/> in upper-case hex without leading zero bytes,
/// <see cref="Issuer"/> the issuer's distinguished name as .NET writes it (empty: any issuer).
/// </summary>
public sealed record RevokedCertificate
{
    public string SerialNumber { get; init; } = "";

    public string Issuer { get; init; } = "";

    public string? Reason { get; init; }

    public DateTimeOffset RevokedAt { get; init; }
}

/// <summary>Certificates revoked through the API (besides the configured CRL). Every write is committed before its task completes.</summary>
public interface IRevokedCertificateStore
{
    /// <summary>Records the revocation; false when that serial number and issuer were revoked already.</summary>
    Task<bool> AddAsync(RevokedCertificate revoked, CancellationToken cancellationToken);

    /// <summary>Whether the certificate <paramref name="serialNumber"/> of <paramref name="issuer"/> is revoked (for that issuer or any).</summary>
    Task<bool> IsRevokedAsync(string serialNumber, string issuer, CancellationToken cancellationToken);

    Task<IReadOnlyList<RevokedCertificate>> ListAsync(CancellationToken cancellationToken);
}
