using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// The CA certificates a charger keeps (OCPP 1.6 security whitepaper: InstallCertificate, DeleteCertificate,
/// GetInstalledCertificateIds): central system roots (trusted for the server's TLS certificate) and manufacturer roots
/// (trusted for firmware signing certificates). Each is identified by its <see cref="CertificateHashData"/>: the hash of
/// its issuer's DER-encoded name, of its issuer's public key (the key bits), and its serial number in hex without leading
/// zeros, as OCSP's CertID has them.
/// </summary>
public sealed class InstalledCertificates
{
    private readonly Lock _gate = new();
    private readonly List<(CertificateUse Use, X509Certificate2 Certificate)> _certificates = [];
    private readonly int _capacity;

    public InstalledCertificates(int capacity = 20) => _capacity = capacity;

    /// <summary>
    /// Installs a CA certificate: one PEM certificate with basic constraints CA, valid at <paramref name="now"/>. Rejected
    /// when it is not; Failed when the store is full; Accepted (and nothing added) when it is installed already.
    /// </summary>
    public InstallCertificateStatus Install(CertificateUse use, string pem, DateTimeOffset now)
    {
        X509Certificate2 certificate;
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPem(pem);
            if (all.Count != 1)
            {
                return InstallCertificateStatus.Rejected;
            }

            certificate = all[0];
        }
        catch (CryptographicException)
        {
            return InstallCertificateStatus.Rejected;
        }

        bool isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        if (!isCa || now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            certificate.Dispose();
            return InstallCertificateStatus.Rejected;
        }

        lock (_gate)
        {
            if (_certificates.Any(c => c.Use == use && c.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
            {
                certificate.Dispose();
                return InstallCertificateStatus.Accepted;
            }

            if (_certificates.Count >= _capacity)
            {
                certificate.Dispose();
                return InstallCertificateStatus.Failed;
            }

            _certificates.Add((use, certificate));
            return InstallCertificateStatus.Accepted;
        }
    }

    /// <summary>Adds certificates without checks (the roots the charger was configured with).</summary>
    public void AddTrusted(CertificateUse use, IEnumerable<X509Certificate2> certificates)
    {
        lock (_gate)
        {
            _certificates.AddRange(certificates.Select(c => (use, c)));
        }
    }

    public DeleteCertificateStatus Delete(CertificateHashData hash)
    {
        lock (_gate)
        {
            int index = _certificates.FindIndex(c => Matches(HashOf(c.Certificate, hash.HashAlgorithm), hash));
            if (index < 0)
            {
                return DeleteCertificateStatus.NotFound;
            }

            _certificates[index].Certificate.Dispose();
            _certificates.RemoveAt(index);
            return DeleteCertificateStatus.Accepted;
        }
    }

    public IReadOnlyList<CertificateHashData> Ids(CertificateUse use, CertificateHashAlgorithm algorithm = CertificateHashAlgorithm.SHA256)
    {
        lock (_gate)
        {
            return _certificates.Where(c => c.Use == use).Select(c => HashOf(c.Certificate, algorithm)).ToList();
        }
    }

    /// <summary>The installed certificates of <paramref name="use"/>, or of every use.</summary>
    public X509Certificate2Collection Certificates(CertificateUse? use = null)
    {
        lock (_gate)
        {
            return [.. _certificates.Where(c => use is null || c.Use == use).Select(c => c.Certificate)];
        }
    }

    /// <summary>The hash data of <paramref name="certificate"/>; its issuer's key is its own when it is self-signed, else that of an installed issuer.</summary>
    public CertificateHashData HashOf(X509Certificate2 certificate, CertificateHashAlgorithm algorithm)
    {
        X509Certificate2 issuer = certificate;
        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) is false)
        {
            lock (_gate)
            {
                issuer = _certificates.Select(c => c.Certificate)
                    .FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)) ?? certificate;
            }
        }

        return new CertificateHashData(
            algorithm,
            Hash(algorithm, certificate.IssuerName.RawData),
            Hash(algorithm, issuer.PublicKey.EncodedKeyValue.RawData),
            SerialNumberOf(certificate));
    }

    /// <summary>The serial number as the whitepaper writes it: hex without leading zeros, lower case.</summary>
    public static string SerialNumberOf(X509Certificate2 certificate)
    {
        string hex = certificate.SerialNumber.TrimStart('0').ToLowerInvariant();
        return hex.Length == 0 ? "0" : hex;
    }

    private static bool Matches(CertificateHashData a, CertificateHashData b) =>
        string.Equals(a.IssuerNameHash, b.IssuerNameHash, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IssuerKeyHash, b.IssuerKeyHash, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.SerialNumber.TrimStart('0'), b.SerialNumber.TrimStart('0'), StringComparison.OrdinalIgnoreCase);

    private static string Hash(CertificateHashAlgorithm algorithm, byte[] data) => Convert.ToHexStringLower(algorithm switch
    {
        CertificateHashAlgorithm.SHA384 => SHA384.HashData(data),
        CertificateHashAlgorithm.SHA512 => SHA512.HashData(data),
        _ => SHA256.HashData(data),
    });
}
