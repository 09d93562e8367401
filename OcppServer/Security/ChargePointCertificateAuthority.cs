using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace OcppServer.Security;

/// <summary>Whether a client certificate admits a charge point, and if not why (for the log and the security event, never for the charger).</summary>
public sealed record CertificateVerdict(bool Valid, string Reason)
{
    public static CertificateVerdict Accepted { get; } = new(true, "valid");

    public static CertificateVerdict Refused(string reason) => new(false, reason);
}

/// <summary>
/// Judges the client certificates of security profile 3 (OCPP 1.6 security whitepaper): it must chain to the configured
/// charge point CA (<c>Security:ChargePointCa</c>, an X509Chain with a custom trust store and nothing else trusted), be
/// valid now (the server's clock) and for client authentication, be an end-entity certificate, not be revoked (the
/// configured CRL, read again when its file changes, and the certificates revoked through the API), and name the
/// charge point: subject CN equal to its identity, and O equal to <c>Security:ChargePointOrganization</c> when set.
/// </summary>
public sealed class ChargePointCertificateAuthority
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private const string CommonName = "2.5.4.3";
    private const string Organization = "2.5.4.10";

    private readonly ChargePointSecurityOptions _options;
    private readonly X509Certificate2Collection _authorities;
    private readonly IRevokedCertificateStore _revoked;
    private readonly TimeProvider _time;
    private readonly ILogger<ChargePointCertificateAuthority> _logger;
    private readonly Lock _crlLock = new();
    private RevocationList? _crl;

    public ChargePointCertificateAuthority(
        IOptions<ChargePointSecurityOptions> options, IRevokedCertificateStore revoked, TimeProvider time, ILogger<ChargePointCertificateAuthority> logger)
    {
        _options = options.Value;
        _revoked = revoked;
        _time = time;
        _logger = logger;
        _authorities = _options.ChargePointCa is { Length: > 0 } path ? LoadAuthorities(path) : [];
        _crl = _options.ChargePointCrl is { Length: > 0 } crl ? RevocationList.Load(crl, _authorities) : null;
        SigningAuthority = _options.ChargePointCaKey is { Length: > 0 } keyPath ? LoadSigningAuthority(_authorities, File.ReadAllText(keyPath)) : null;
    }

    /// <summary>
    /// The CA of <c>Security:ChargePointCa</c> whose key is <c>Security:ChargePointCaKey</c>, with that key: the server
    /// signs the chargers' certificate requests with it. Null when no key is configured.
    /// </summary>
    public X509Certificate2? SigningAuthority { get; }

    /// <summary>Whether a charge point CA is configured: without one, security profile 3 is unavailable.</summary>
    public bool IsConfigured => _authorities.Count > 0;

    public async Task<CertificateVerdict> CheckAsync(X509Certificate2 certificate, string chargePointId, CancellationToken cancellationToken)
    {
        var verdict = Check(certificate, chargePointId);
        if (verdict.Valid && await _revoked.IsRevokedAsync(SerialNumber(certificate), IssuerName(certificate), cancellationToken))
        {
            return CertificateVerdict.Refused($"certificate {SerialNumber(certificate)} was revoked through the API");
        }

        return verdict;
    }

    /// <summary>A certificate's serial number as the revocation list keeps it: upper-case hex without leading zero bytes.</summary>
    public static string SerialNumber(X509Certificate2 certificate) => NormalizeSerialNumber(certificate.SerialNumber);

    /// <summary>Upper-case hex without separators or leading zero bytes; null when <paramref name="text"/> is not hex.</summary>
    public static string? TryNormalizeSerialNumber(string? text)
    {
        string hex = (text ?? "").Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return hex.Length is > 0 and <= 128 && hex.All(char.IsAsciiHexDigit) ? NormalizeSerialNumber(hex) : null;
    }

    private static string NormalizeSerialNumber(string hex)
    {
        hex = hex.Length % 2 == 1 ? "0" + hex.ToUpperInvariant() : hex.ToUpperInvariant();
        while (hex.Length > 2 && hex.StartsWith("00", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }

        return hex;
    }

    /// <summary>The issuer's distinguished name as the revocation list keeps it.</summary>
    public static string IssuerName(X509Certificate2 certificate) => certificate.IssuerName.Name;

    private CertificateVerdict Check(X509Certificate2 certificate, string chargePointId)
    {
        if (!IsConfigured)
        {
            return CertificateVerdict.Refused("no charge point CA is configured (Security:ChargePointCa)");
        }

        using (var chain = new X509Chain())
        {
            var policy = chain.ChainPolicy;
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(_authorities);
            policy.RevocationMode = X509RevocationMode.NoCheck; // the CRL and the API's list are checked below
            policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
            policy.ApplicationPolicy.Add(ClientAuthentication);
            if (!chain.Build(certificate))
            {
                return CertificateVerdict.Refused(DescribeChainFailure(certificate, chain));
            }
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
        {
            return CertificateVerdict.Refused("a CA certificate, not a charge point's");
        }

        if (CheckRevocationList(certificate) is { } revoked)
        {
            return revoked;
        }

        return SubjectProblem(certificate.SubjectName, chargePointId, _options.ChargePointOrganization) is { } problem
            ? CertificateVerdict.Refused(problem)
            : CertificateVerdict.Accepted;
    }

    /// <summary>
    /// Why a charge point's certificate (or certificate request) does not name it, or null when it does: exactly one
    /// subject CN, equal to its identity, and an O equal to <paramref name="organization"/> when that is set.
    /// </summary>
    public static string? SubjectProblem(X500DistinguishedName subject, string chargePointId, string? organization)
    {
        var names = subject.EnumerateRelativeDistinguishedNames()
            .Where(n => !n.HasMultipleElements)
            .Select(n => (Type: n.GetSingleElementType().Value, Value: n.GetSingleElementValue()))
            .ToList();
        var commonNames = names.Where(n => n.Type == CommonName).Select(n => n.Value).ToList();
        if (commonNames.Count != 1 || !string.Equals(commonNames[0], chargePointId, StringComparison.Ordinal))
        {
            return $"subject CN is not the charge point's identity (subject: {subject.Name})";
        }

        return organization is { Length: > 0 }
            && !names.Any(n => n.Type == Organization && string.Equals(n.Value, organization, StringComparison.Ordinal))
            ? $"subject O is not {organization} (Security:ChargePointOrganization; subject: {subject.Name})"
            : null;
    }

    private static string DescribeChainFailure(X509Certificate2 certificate, X509Chain chain)
    {
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        return flags switch
        {
            _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain) =>
                $"not issued by the charge point CA (issuer: {certificate.Issuer})",
            _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) =>
                $"not valid now (valid from {certificate.NotBefore.ToUniversalTime():O} to {certificate.NotAfter.ToUniversalTime():O})",
            _ when flags.HasFlag(X509ChainStatusFlags.NotValidForUsage) => "not a certificate for TLS client authentication",
            _ => "chain not valid: " + string.Join(", ", chain.ChainStatus.Select(s => s.Status)),
        };
    }

    /// <summary>Null when the CRL does not list the certificate; a refusal when it does, or when the CRL cannot be read (fail closed).</summary>
    private CertificateVerdict? CheckRevocationList(X509Certificate2 certificate)
    {
        if (_options.ChargePointCrl is not { Length: > 0 } path)
        {
            return null;
        }

        RevocationList crl;
        lock (_crlLock)
        {
            if (_crl is null || _crl.IsStale())
            {
                try
                {
                    _crl = RevocationList.Load(path, _authorities);
                    _logger.LogInformation("Read the charge point CRL {Path}", path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
                {
                    _crl = null;
                    _logger.LogError(ex, "The charge point CRL {Path} cannot be read: profile-3 handshakes are refused until it can", path);
                    return CertificateVerdict.Refused($"the CRL ({path}) cannot be read");
                }
            }

            crl = _crl;
        }

        return crl.Lists(certificate) ? CertificateVerdict.Refused($"certificate {SerialNumber(certificate)} is listed in the CRL") : null;
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0)
        {
            throw new InvalidOperationException($"{ChargePointSecurityOptions.Section}:ChargePointCa ({path}) holds no PEM certificate");
        }

        foreach (var certificate in certificates)
        {
            if (!certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                throw new InvalidOperationException(
                    $"{ChargePointSecurityOptions.Section}:ChargePointCa ({path}): {certificate.Subject} is not a CA certificate (basic constraints)");
            }
        }

        return certificates;
    }

    /// <summary>What is wrong with the configured files (for validation at start), or null.</summary>
    public static string? Problem(ChargePointSecurityOptions options)
    {
        try
        {
            var authorities = options.ChargePointCa is { Length: > 0 } ca ? LoadAuthorities(ca) : [];
            if (options.ChargePointCaKey is { Length: > 0 } keyPath && !authorities.Cast<X509Certificate2>().Any(a => Matches(a, File.ReadAllText(keyPath))))
            {
                return $"{ChargePointSecurityOptions.Section}:ChargePointCaKey ({keyPath}) is not the private key of a certificate in ChargePointCa";
            }

            if (options.ChargePointCrl is { Length: > 0 } crl && authorities.Count > 0)
            {
                _ = RevocationList.Load(crl, authorities);
            }

            return (options.ChargePointCaKey is { Length: > 0 } || options.ChargePointCrl is { Length: > 0 }) && authorities.Count == 0
                ? $"{ChargePointSecurityOptions.Section}:ChargePointCaKey and ChargePointCrl need ChargePointCa"
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            return $"{ChargePointSecurityOptions.Section}: {ex.Message}";
        }
    }

    private static bool Matches(X509Certificate2 authority, string keyPem)
    {
        using var withKey = WithKey(authority, keyPem);
        return withKey is not null;
    }

    /// <summary>The CA of <paramref name="authorities"/> that <paramref name="keyPem"/> belongs to, with the key; null when none.</summary>
    private static X509Certificate2? LoadSigningAuthority(X509Certificate2Collection authorities, string keyPem) =>
        authorities.Cast<X509Certificate2>().Select(a => WithKey(a, keyPem)).FirstOrDefault(a => a is not null);

    private static X509Certificate2? WithKey(X509Certificate2 authority, string keyPem)
    {
        // The key is not disposed when it matches: the certificate made with it keeps using it.
        AsymmetricAlgorithm key = authority.GetKeyAlgorithm() switch
        {
            "1.2.840.10045.2.1" => ECDsa.Create(),
            _ => RSA.Create(),
        };
        try
        {
            key.ImportFromPem(keyPem);
            var withKey = key switch
            {
                ECDsa ec => authority.CopyWithPrivateKey(ec),
                RSA rsa => authority.CopyWithPrivateKey(rsa),
                _ => null,
            };
            if (withKey is null)
            {
                key.Dispose();
            }

            return withKey;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            return null;
        }
    }

    /// <summary>
    /// A CRL file as read (<see cref="Version"/>). Parsed with <see cref="CertificateRevocationListBuilder.Load(byte[], out System.Numerics.BigInteger)"/>;
    /// whether it lists a serial number is whether a loaded copy could remove it (the builder exposes no other lookup),
    /// remembered per serial number. The file is trusted as configured (as the CA file is): its signature is not checked,
    /// and its entries count whatever CA issued the certificate (serial numbers are random: refusing a namesake of another
    /// CA fails closed).
    /// </summary>
    private sealed class RevocationList
    {
        private readonly string _path;
        private readonly byte[] _der;
        private readonly ConcurrentDictionary<string, bool> _listed = new(StringComparer.Ordinal);

        private RevocationList(string path, (DateTime, long) version, byte[] der)
        {
            _path = path;
            Version = version;
            _der = der;
        }

        /// <summary>The file's last write time and length when it was read.</summary>
        public (DateTime WrittenAt, long Length) Version { get; }

        private static (DateTime, long) VersionOf(string path) => (File.GetLastWriteTimeUtc(path), new FileInfo(path).Length);

        public static RevocationList Load(string path, X509Certificate2Collection authorities)
        {
            var version = VersionOf(path);
            byte[] bytes = File.ReadAllBytes(path);
            string text = System.Text.Encoding.ASCII.GetString(bytes);
            byte[] der = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? PemEncoding.TryFind(text, out var fields) && text[fields.Label] == "X509 CRL"
                    ? Convert.FromBase64String(text[fields.Base64Data])
                    : throw new CryptographicException("no X509 CRL PEM block")
                : bytes;
            _ = CertificateRevocationListBuilder.Load(der, out _); // throws when it is not a CRL
            VerifySignature(der, authorities);
            return new RevocationList(path, version, der);
        }

        /// <summary>
        /// Throws unless one of <paramref name="authorities"/> issued and signed the CRL: a list anyone could write would
        /// let its author decide which chargers are trusted no longer (or, replaced by an empty one, trusted again).
        /// .NET reads CRLs (CertificateRevocationListBuilder) but does not verify them, so the signed envelope
        /// (RFC 5280 5.1: tbsCertList, signatureAlgorithm, signatureValue) is split here and the signature checked with
        /// the issuing CA's key.
        /// </summary>
        private static void VerifySignature(byte[] der, X509Certificate2Collection authorities)
        {
            try
            {
                VerifySignatureOf(der, authorities);
            }
            catch (AsnContentException ex)
            {
                throw new CryptographicException("the CRL is not DER", ex);
            }
        }

        private static void VerifySignatureOf(byte[] der, X509Certificate2Collection authorities)
        {
            var certificateList = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            ReadOnlyMemory<byte> signed = certificateList.ReadEncodedValue();
            string algorithm = certificateList.ReadSequence().ReadObjectIdentifier();
            byte[] signature = certificateList.ReadBitString(out _);

            var tbs = new AsnReader(signed, AsnEncodingRules.DER).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                _ = tbs.ReadInteger(); // version
            }

            _ = tbs.ReadSequence(); // signature algorithm, repeated inside what is signed
            var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);

            (HashAlgorithmName hash, bool ec) = algorithm switch
            {
                "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, true),
                "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, true),
                "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, true),
                "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, false),
                "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, false),
                "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, false),
                _ => throw new CryptographicException($"the CRL is signed with an algorithm this server does not accept ({algorithm})"),
            };

            foreach (var authority in authorities)
            {
                if (!authority.SubjectName.RawData.AsSpan().SequenceEqual(issuer.RawData))
                {
                    continue;
                }

                bool valid;
                if (ec)
                {
                    using var key = authority.GetECDsaPublicKey();
                    valid = key is not null && key.VerifyData(signed.Span, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                }
                else
                {
                    using var key = authority.GetRSAPublicKey();
                    valid = key is not null && key.VerifyData(signed.Span, signature, hash, RSASignaturePadding.Pkcs1);
                }

                if (valid)
                {
                    return;
                }
            }

            throw new CryptographicException($"the CRL (issuer {issuer.Name}) is not signed by a CA of {ChargePointSecurityOptions.Section}:ChargePointCa");
        }

        public bool IsStale() => VersionOf(_path) != Version;

        public bool Lists(X509Certificate2 certificate)
        {
            byte[] serial = certificate.SerialNumberBytes.ToArray();
            return _listed.GetOrAdd(Convert.ToHexString(serial), key => CertificateRevocationListBuilder.Load(_der, out _).RemoveEntry(serial));
        }
    }
}
