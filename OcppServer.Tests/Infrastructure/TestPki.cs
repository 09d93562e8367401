using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// Certificates made in the test with <see cref="CertificateRequest"/> (EC P-256): a root that signs the server's TLS
/// certificate (for localhost and 127.0.0.1), and a charge point CA that signs client certificates (security profile 3),
/// good and bad ones, and CRLs.
/// </summary>
public sealed class TestPki : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private TestPki(X509Certificate2 serverRoot, X509Certificate2 server, X509Certificate2 chargePointCa)
    {
        ServerRoot = serverRoot;
        ServerCertificate = server;
        ChargePointCa = chargePointCa;
    }

    /// <summary>The central system's root (a charger trusts it: <c>--ca</c> of the simulator).</summary>
    public X509Certificate2 ServerRoot { get; }

    /// <summary>The server's TLS certificate with its key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The charge point CA (<c>Security:ChargePointCa</c>) with its key.</summary>
    public X509Certificate2 ChargePointCa { get; }

    public static TestPki Create()
    {
        var now = DateTimeOffset.UtcNow;
        var serverRoot = CreateCa("CN=OcppAuth Test Central System Root, O=OcppAuth Tests", now);
        // Keys are not disposed: the certificates made with them keep using them.
        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=OcppAuth Tests", serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(serverRoot, true, false));
        using var issued = request.Create(serverRoot, now.AddMinutes(-5), now.AddDays(30), NewSerial());
        var server = issued.CopyWithPrivateKey(serverKey);
        return new TestPki(serverRoot, server, CreateCa("CN=OcppAuth Test Charge Point CA, O=OcppAuth Tests", now));
    }

    /// <summary>A CA certificate (with its key) that is not the charge point CA: a charger's certificate from it must be refused.</summary>
    public static X509Certificate2 CreateOtherCa() => CreateCa("CN=Some Other CA, O=Elsewhere", DateTimeOffset.UtcNow);

    /// <summary>A client certificate with its key, subject <c>CN=<paramref name="commonName"/></c> (and O when given), issued by <paramref name="issuer"/> (default: the charge point CA).</summary>
    public X509Certificate2 IssueClientCertificate(
        string commonName, string? organization = null, X509Certificate2? issuer = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var now = DateTimeOffset.UtcNow;
        issuer ??= ChargePointCa;
        var subject = new X500DistinguishedNameBuilder();
        if (organization is not null)
        {
            subject.AddOrganizationName(organization);
        }

        subject.AddCommonName(commonName);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = request.Create(issuer, notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(30), NewSerial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A CRL of the charge point CA revoking <paramref name="revoked"/>, PEM.</summary>
    public string BuildCrlPem(params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        }

        var now = DateTimeOffset.UtcNow;
        byte[] crl = builder.Build(ChargePointCa, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-1));
        return PemEncoding.WriteString("X509 CRL", crl);
    }

    /// <summary>
    /// A CRL that names the charge point CA as its issuer but is signed by another key (a CA certificate made with the
    /// same subject): what an attacker who can write the CRL file, but holds no CA key, could produce. PEM.
    /// </summary>
    public string BuildForgedCrlPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(ChargePointCa.SubjectName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
        using var impostor = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var now = DateTimeOffset.UtcNow;
        byte[] crl = new CertificateRevocationListBuilder().Build(
            impostor, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-1));
        return PemEncoding.WriteString("X509 CRL", crl);
    }

    /// <summary>Writes the server's certificate and key and the charge point CA and its key as PEM files; returns their paths.</summary>
    public TestPkiFiles WriteFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new TestPkiFiles(
            Path.Combine(directory, "server.pem"), Path.Combine(directory, "server.key"), Path.Combine(directory, "server-root.pem"),
            Path.Combine(directory, "cp-ca.pem"), Path.Combine(directory, "cp-ca.key"), Path.Combine(directory, "cp.crl"));
        File.WriteAllText(files.ServerCertificate, ServerCertificate.ExportCertificatePem());
        File.WriteAllText(files.ServerKey, ServerCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(files.ServerRoot, ServerRoot.ExportCertificatePem());
        File.WriteAllText(files.ChargePointCa, ChargePointCa.ExportCertificatePem());
        File.WriteAllText(files.ChargePointCaKey, ChargePointCa.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(files.Crl, BuildCrlPem());
        return files;
    }

    /// <summary>A server certificate check for clients: it must chain to <see cref="ServerRoot"/> alone and name the host.</summary>
    public bool ValidateServerCertificate(X509Certificate? certificate, System.Net.Security.SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ServerRoot);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose()
    {
        ServerRoot.Dispose();
        ServerCertificate.Dispose();
        ChargePointCa.Dispose();
    }

    private static X509Certificate2 CreateCa(string subject, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-30), now.AddYears(1)); // with its key
    }

    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        serial[0] |= 0x10; // no leading zero byte
        return serial;
    }
}

public sealed record TestPkiFiles(string ServerCertificate, string ServerKey, string ServerRoot, string ChargePointCa, string ChargePointCaKey, string Crl);
