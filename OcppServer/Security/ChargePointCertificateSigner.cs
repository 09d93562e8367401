using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;

namespace OcppServer.Security;

/// <summary>What became of a charger's SignCertificate: accepted (stored as <see cref="Id"/>) or rejected, and why.</summary>
public sealed record SigningRequestDecision(bool Accepted, long? Id, bool SignsItself, string? Problem);

/// <summary>How handing a signed certificate to the charger went.</summary>
public enum CertificateDeliveryResult
{
    /// <summary>CertificateSigned was answered (Accepted or Rejected: <see cref="CertificateDelivery.ChargerStatus"/>), or got no answer.</summary>
    Delivered,
    NotFound,

    /// <summary>The request is not waiting for a certificate (signed already, superseded, or another signer was first).</summary>
    NotPending,

    /// <summary>The certificate chain does not fit the request (see <see cref="CertificateDelivery.Problem"/>).</summary>
    Invalid,
}

public sealed record CertificateDelivery(CertificateDeliveryResult Result, CertificateSigningRecord? Request = null, string? ChargerStatus = null, string? Problem = null);

/// <summary>
/// The chargers' certificate signing requests (SignCertificate, OCPP 1.6 security whitepaper, use cases A02/A03; OCA
/// TC_074): a request is accepted only from a charge point connected over TLS (profile 2 or 3) to a server that has a
/// charge point CA, and only when <see cref="CertificateSigningRequestInspector"/> finds nothing wrong with it; a
/// rejected one is a security event. An accepted request is signed after the answer with <c>Security:ChargePointCaKey</c>
/// when that is configured, else it waits for an operator-approved signer, whose chain must carry the request's key and
/// pass the profile-3 check of <see cref="ChargePointCertificateAuthority"/>. Either way the chain reaches the charger
/// in CertificateSigned and its answer is recorded.
/// </summary>
public sealed partial class ChargePointCertificateSigner(
    ChargePointCertificateAuthority authority,
    IOptionsMonitor<ChargePointSecurityOptions> options,
    ICertificateSigningRequestStore store,
    IChargerCertificates chargers,
    ISecurityEventLog events,
    TimeProvider time,
    ILogger<ChargePointCertificateSigner> logger)
{
    public const string ServerSigner = "ChargePointCa";
    public const string OperatorSigner = "Operator";

    /// <summary>The longest certificateChain CertificateSigned carries (its schema).</summary>
    public const int MaxChainLength = 10_000;

    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    public async Task<SigningRequestDecision> ReceiveAsync(
        string chargePointId, int connectionSecurityProfile, string? remoteAddress, string csrPem, CancellationToken cancellationToken)
    {
        string? problem = connectionSecurityProfile < 2
            ? $"SignCertificate needs a TLS connection (security profile 2 or 3); this one is profile {connectionSecurityProfile}"
            : !authority.IsConfigured
                ? "no charge point CA is configured (Security:ChargePointCa): security profile 3 is unavailable"
                : CertificateSigningRequestInspector.Inspect(csrPem, chargePointId, options.CurrentValue.ChargePointOrganization).Problem;
        if (problem is not null)
        {
            LogRejected(logger, chargePointId, problem);
            events.Raise(new SecurityEvent(chargePointId, SecurityEventSource.CentralSystem, SecurityEventTypes.InvalidCertificateSigningRequest,
                time.GetUtcNow(), problem, remoteAddress));
            return new SigningRequestDecision(false, null, false, problem);
        }

        bool signsItself = authority.SigningAuthority is not null;
        long id = await store.AddAsync(chargePointId, csrPem, signsItself ? ServerSigner : OperatorSigner, time.GetUtcNow(), cancellationToken);
        LogAccepted(logger, chargePointId, id, signsItself ? "signed by the charge point CA" : "waiting for an operator-approved signer");
        return new SigningRequestDecision(true, id, signsItself, null);
    }

    /// <summary>Signs request <paramref name="id"/> with the configured CA and sends the chain to the charger (after the SignCertificate answer).</summary>
    public async Task<CertificateDelivery> SignAndSendAsync(long id, CancellationToken cancellationToken)
    {
        if (authority.SigningAuthority is not { } ca || await store.GetAsync(id, cancellationToken) is not { } record)
        {
            return new CertificateDelivery(CertificateDeliveryResult.NotFound);
        }

        var inspected = CertificateSigningRequestInspector.Inspect(record.Csr, record.ChargePointId, options.CurrentValue.ChargePointOrganization);
        if (inspected.Request is not { } request)
        {
            return new CertificateDelivery(CertificateDeliveryResult.Invalid, record, Problem: inspected.Problem);
        }

        using var certificate = Sign(request, ca);
        return await DeliverAsync(record, ChainPem(certificate, ca), ChargePointCertificateAuthority.SerialNumber(certificate), cancellationToken);
    }

    /// <summary>
    /// An operator-approved signer's answer to request <paramref name="id"/>: a PEM chain, the charger's certificate first.
    /// It must carry the request's public key and be a certificate this server admits at profile 3 for the charge point.
    /// </summary>
    public async Task<CertificateDelivery> SubmitAsync(long id, string? chainPem, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } record)
        {
            return new CertificateDelivery(CertificateDeliveryResult.NotFound);
        }

        if (record.Status is not (CertificateSigningStatuses.Pending or CertificateSigningStatuses.Undelivered))
        {
            return new CertificateDelivery(CertificateDeliveryResult.NotPending, record);
        }

        if (string.IsNullOrWhiteSpace(chainPem) || chainPem.Length > MaxChainLength)
        {
            return new CertificateDelivery(CertificateDeliveryResult.Invalid, record,
                Problem: $"certificateChain is PEM certificates, at most {MaxChainLength} characters (CertificateSigned's limit)");
        }

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(chainPem);
        }
        catch (CryptographicException ex)
        {
            return new CertificateDelivery(CertificateDeliveryResult.Invalid, record, Problem: $"certificateChain is not PEM certificates ({ex.Message})");
        }

        try
        {
            if (chain.Count == 0)
            {
                return new CertificateDelivery(CertificateDeliveryResult.Invalid, record, Problem: "certificateChain holds no PEM certificate");
            }

            var leaf = chain[0];
            var request = CertificateRequest.LoadSigningRequestPem(record.Csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(request.PublicKey.ExportSubjectPublicKeyInfo()))
            {
                return new CertificateDelivery(CertificateDeliveryResult.Invalid, record, Problem: "the first certificate does not carry the request's public key");
            }

            var verdict = await authority.CheckAsync(leaf, record.ChargePointId, cancellationToken);
            if (!verdict.Valid)
            {
                return new CertificateDelivery(CertificateDeliveryResult.Invalid, record, Problem: $"the certificate would not admit the charge point: {verdict.Reason}");
            }

            return await DeliverAsync(record, chainPem, ChargePointCertificateAuthority.SerialNumber(leaf), cancellationToken);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private async Task<CertificateDelivery> DeliverAsync(CertificateSigningRecord record, string chainPem, string serialNumber, CancellationToken cancellationToken)
    {
        string[] from = [CertificateSigningStatuses.Pending, CertificateSigningStatuses.Undelivered];
        if (!await store.TransitionAsync(record.Id, from, CertificateSigningStatuses.Sent, serialNumber, null, time.GetUtcNow(), cancellationToken))
        {
            return new CertificateDelivery(CertificateDeliveryResult.NotPending, await store.GetAsync(record.Id, cancellationToken));
        }

        var answer = await chargers.SendCertificateChainAsync(record.ChargePointId, chainPem, cancellationToken);
        string status = !answer.Answered ? CertificateSigningStatuses.Undelivered
            : answer.Status == "Accepted" ? CertificateSigningStatuses.Installed
            : CertificateSigningStatuses.RejectedByChargePoint;
        // Recorded even when the caller has given up: the charger may have installed it.
        await store.TransitionAsync(record.Id, [CertificateSigningStatuses.Sent], status, serialNumber, answer.Status, time.GetUtcNow(), CancellationToken.None);
        LogDelivered(logger, record.ChargePointId, record.Id, serialNumber, status);
        return new CertificateDelivery(CertificateDeliveryResult.Delivered, await store.GetAsync(record.Id, CancellationToken.None), answer.Status);
    }

    /// <summary>
    /// A charger connected at profile 3 with <paramref name="certificateSerialNumber"/>: when that is a certificate sent
    /// for one of its requests whose answer never arrived (it reconnects at once, OCA TC_074), the request is Installed.
    /// </summary>
    public async Task ConfirmConnectedWithAsync(string chargePointId, string certificateSerialNumber, CancellationToken cancellationToken)
    {
        if (await store.ConfirmInstalledAsync(chargePointId, certificateSerialNumber, time.GetUtcNow(), cancellationToken))
        {
            LogDelivered(logger, chargePointId, 0, certificateSerialNumber, $"{CertificateSigningStatuses.Installed} (connected with it)");
        }
    }

    /// <summary>A TLS client certificate for the request's subject and key, as the CA issues them (the request's own extensions are not copied).</summary>
    private X509Certificate2 Sign(CertificateRequest request, X509Certificate2 ca)
    {
        request.CertificateExtensions.Clear();
        bool rsa = request.PublicKey.Oid.Value == "1.2.840.113549.1.1.1";
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            rsa ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = time.GetUtcNow();
        var notAfter = now.AddDays(options.CurrentValue.ChargePointCertificateDays);
        if (notAfter > ca.NotAfter)
        {
            notAfter = ca.NotAfter;
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10); // positive, and no leading zero byte to normalise away
        var notBefore = now.AddMinutes(-5) > ca.NotBefore ? now.AddMinutes(-5) : new DateTimeOffset(ca.NotBefore); // never before its CA
        return request.Create(ca, notBefore, notAfter, serial);
    }

    /// <summary>The charger's certificate, then the CA that issued it (so that the charger can check the chain it gets).</summary>
    private static string ChainPem(X509Certificate2 certificate, X509Certificate2 ca) =>
        new StringBuilder().AppendLine(certificate.ExportCertificatePem()).AppendLine(ca.ExportCertificatePem()).ToString();

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "SignCertificate of {ChargePointId} rejected: {Problem}")]
    private static partial void LogRejected(ILogger logger, string chargePointId, string problem);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "SignCertificate of {ChargePointId} accepted as request {Id}: {Next}")]
    private static partial void LogAccepted(ILogger logger, string chargePointId, long id, string next);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Certificate {SerialNumber} for {ChargePointId} (request {Id}): {Status}")]
    private static partial void LogDelivered(ILogger logger, string chargePointId, long id, string serialNumber, string status);
}
