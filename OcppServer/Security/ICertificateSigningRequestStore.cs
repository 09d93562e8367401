namespace OcppServer.Security;

/// <summary>Where a charger's certificate signing request (SignCertificate) stands.</summary>
public static class CertificateSigningStatuses
{
    /// <summary>Accepted; waits for a signed certificate (no CA key configured: an operator-approved signer provides it).</summary>
    public const string Pending = nameof(Pending);

    /// <summary>Signed; CertificateSigned is on its way to the charger.</summary>
    public const string Sent = nameof(Sent);

    /// <summary>The charger installed the certificate (CertificateSigned.conf Accepted).</summary>
    public const string Installed = nameof(Installed);

    /// <summary>The charger refused the certificate (CertificateSigned.conf Rejected, or a CALLERROR).</summary>
    public const string RejectedByChargePoint = nameof(RejectedByChargePoint);

    /// <summary>CertificateSigned got no answer (not connected, timeout): the charger may ask again; an operator may send it again.</summary>
    public const string Undelivered = nameof(Undelivered);

    /// <summary>The charger sent a newer request before this one was answered.</summary>
    public const string Superseded = nameof(Superseded);
}

/// <summary>A certificate signing request a charger sent and the server accepted (the CSR is public: it holds no key).</summary>
public sealed record CertificateSigningRecord
{
    public long Id { get; init; }

    public string ChargePointId { get; init; } = "";

    /// <summary>The PKCS#10 request, PEM, as the charger sent it.</summary>
    public string Csr { get; init; } = "";

    /// <summary>One of <see cref="CertificateSigningStatuses"/>.</summary>
    public string Status { get; init; } = "";

    /// <summary>How it was (or is to be) signed: <c>ChargePointCa</c> (the server, with Security:ChargePointCaKey) or <c>Operator</c>.</summary>
    public string Signer { get; init; } = "";

    /// <summary>The serial number of the certificate sent (upper-case hex), once one was.</summary>
    public string? CertificateSerialNumber { get; init; }

    /// <summary>What the charger answered, or why nothing was delivered.</summary>
    public string? Detail { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The chargers' certificate signing requests. Every write is committed before its task completes.</summary>
public interface ICertificateSigningRequestStore
{
    /// <summary>
    /// Stores an accepted request as <see cref="CertificateSigningStatuses.Pending"/> and marks the charge point's earlier
    /// pending (or undelivered) requests <see cref="CertificateSigningStatuses.Superseded"/>, in one commit; returns its id.
    /// </summary>
    Task<long> AddAsync(string chargePointId, string csr, string signer, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    Task<CertificateSigningRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Newest first; of one charge point and/or in one status when given.</summary>
    Task<IReadOnlyList<CertificateSigningRecord>> ListAsync(string? chargePointId, string? status, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the request from one of <paramref name="from"/> to <paramref name="to"/>, atomically: false when it is in
    /// none of them (another signer, or a newer request, got there first).
    /// </summary>
    Task<bool> TransitionAsync(
        long id, IReadOnlyList<string> from, string to, string? certificateSerialNumber, string? detail, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The charger connected with the certificate <paramref name="certificateSerialNumber"/> sent for one of its requests
    /// (Sent or Undelivered: its answer may have been lost): that request becomes Installed. False when none was waiting.
    /// </summary>
    Task<bool> ConfirmInstalledAsync(string chargePointId, string certificateSerialNumber, DateTimeOffset now, CancellationToken cancellationToken);
}
