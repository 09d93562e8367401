using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChargePointSimulator.Ocpp;

/// <summary>
/// What a charger needs for wss:// (OCPP 1.6 security whitepaper, profiles 2 and 3): the roots it trusts for the
/// central system's certificate (<c>--ca</c>; without them the system's roots), and its own client certificate with its
/// key (profile 3), read from PEM files or issued by a CA the simulator holds (the demo plays the manufacturer).
/// </summary>
public static class TlsCredentials
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The CA certificates of a PEM file.</summary>
    public static X509Certificate2Collection LoadRoots(string pemPath)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemPath);
        return roots.Count > 0 ? roots : throw new ArgumentException($"{pemPath} holds no PEM certificate");
    }

    /// <summary>A certificate and its private key from PEM files (the key may be in the certificate's file).</summary>
    public static X509Certificate2 LoadCertificate(string certificatePem, string? keyPem) =>
        Usable(X509Certificate2.CreateFromPemFile(certificatePem, keyPem));

    /// <summary>
    /// Accepts the server's certificate when it chains to one of <paramref name="roots"/> (and nothing else) and names the
    /// host; without roots, the platform's own validation decides.
    /// </summary>
    public static bool ValidateServer(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? roots)
    {
        if (roots is null)
        {
            return errors == SslPolicyErrors.None;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>A client certificate for <paramref name="chargePointId"/> (subject CN, and O when given) signed by <paramref name="authority"/> (with its key).</summary>
    public static X509Certificate2 Issue(string chargePointId, X509Certificate2 authority, string? organization = null, TimeSpan? lifetime = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        if (organization is not null)
        {
            subject.AddOrganizationName(organization);
        }

        subject.AddCommonName(chargePointId);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuthentication], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        var notAfter = now + (lifetime ?? TimeSpan.FromDays(30));
        var notBefore = now.AddMinutes(-5) > authority.NotBefore ? now.AddMinutes(-5) : new DateTimeOffset(authority.NotBefore); // never before its CA
        using var issued = request.Create(authority, notBefore, notAfter < authority.NotAfter ? notAfter : authority.NotAfter, serial);
        return Usable(issued.CopyWithPrivateKey(key));
    }

    /// <summary>On Windows a TLS client certificate's key must live in a key store: round-trip through PKCS#12 there.</summary>
    internal static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows())
        {
            return certificate;
        }

        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
