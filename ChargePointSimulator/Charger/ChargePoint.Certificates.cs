using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// Certificate management of the OCPP 1.6 security whitepaper on the charger's side: its own certificate renewed through
/// SignCertificate / CertificateSigned (OCA TC_074, TC_077), and its installed CA certificates (TC_075, TC_076, TC_078).
/// </summary>
public sealed partial class ChargePoint
{
    public const string InvalidChargePointCertificateEvent = "InvalidChargePointCertificate";
    public const string InvalidCentralSystemCertificateEvent = "InvalidCentralSystemCertificate";

    private static readonly Oid ClientAuthenticationUsage = new("1.3.6.1.5.5.7.3.2");

    private readonly InstalledCertificates _installed = new();
    private ECDsa? _pendingKey;

    /// <summary>The CA certificates the charger keeps (InstallCertificate, DeleteCertificate, GetInstalledCertificateIds).</summary>
    public InstalledCertificates InstalledCertificates => _installed;

    /// <summary>The client certificate the charger presents at security profile 3.</summary>
    public X509Certificate2? ClientCertificate
    {
        get
        {
            lock (_gate)
            {
                return _options.ClientCertificate;
            }
        }
    }

    /// <summary>
    /// Makes a new key pair (EC P-256) and a certificate signing request for it (subject O = <see cref="ChargePointOptions.CpoName"/>
    /// when set, CN = the identity) and sends it in SignCertificate; the certificate comes back in CertificateSigned.
    /// </summary>
    public async Task<AcceptedOrRejected> RequestCertificateAsync(CancellationToken cancellationToken)
    {
        var subject = new X500DistinguishedNameBuilder();
        if (_options.CpoName is { Length: > 0 } organization)
        {
            subject.AddOrganizationName(organization);
        }

        subject.AddCommonName(Id);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string csr = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        ECDsa? previous;
        lock (_gate)
        {
            previous = _pendingKey;
            _pendingKey = key;
        }

        previous?.Dispose();
        Raise(ChargePointEventKind.Information, "certificate signing request sent");
        var answer = OcppJson.Deserialize<SignCertificateResponse>(await Send("SignCertificate", new SignCertificateRequest(csr)).WaitAsync(cancellationToken));
        Raise(ChargePointEventKind.Information, $"SignCertificate {answer.Status}");
        return answer.Status;
    }

    /// <summary>
    /// CertificateSigned: the chain is accepted when its first certificate carries the key of the charger's last request,
    /// names the charger (CN), is valid now and for TLS client authentication, and chains to a CA the charger trusts: one
    /// it has installed, or the CA that issued its current certificate. Then it is the charger's certificate (written to its
    /// files when it has them) and, at profile 3, the charger reconnects with it. Otherwise Rejected, and an
    /// InvalidChargePointCertificate security event.
    /// </summary>
    internal (AcceptedOrRejected Status, Func<CancellationToken, Task>? Then) InstallSignedCertificate(string chainPem)
    {
        var chain = new X509Certificate2Collection();
        string? problem;
        X509Certificate2? installed = null;
        try
        {
            chain.ImportFromPem(chainPem);
            problem = chain.Count == 0 ? "no certificate in the chain" : CheckSignedCertificate(chain, out installed);
        }
        catch (CryptographicException ex)
        {
            problem = $"the chain is not PEM certificates ({ex.Message})";
        }

        if (problem is not null)
        {
            Raise(ChargePointEventKind.Information, $"CertificateSigned rejected: {problem}");
            return (AcceptedOrRejected.Rejected, ct =>
            {
                Forget(ReportSecurityEventAsync(InvalidChargePointCertificateEvent, problem, ct));
                return Task.CompletedTask;
            });
        }

        int profile;
        lock (_gate)
        {
            _options.ClientCertificate = installed;
            _pendingKey = null;
            profile = _securityProfile;
        }

        SaveClientCertificate(installed!);
        Raise(ChargePointEventKind.ConfigurationChanged, $"client certificate {installed!.SerialNumber} installed (valid to {installed.NotAfter:O})");
        return (AcceptedOrRejected.Accepted, async _ =>
        {
            if (profile >= 3 && _connection is { } connection)
            {
                // OCA TC_074: the charger reconnects with its new certificate.
                await connection.CloseAsync("reconnecting with the new client certificate");
            }
        });
    }

    private string? CheckSignedCertificate(X509Certificate2Collection chain, out X509Certificate2? installed)
    {
        installed = null;
        ECDsa? key;
        X509Certificate2? current;
        lock (_gate)
        {
            key = _pendingKey;
            current = _options.ClientCertificate;
        }

        var leaf = chain[0];
        if (key is null)
        {
            return "no certificate signing request is outstanding";
        }

        using (var leafKey = leaf.GetECDsaPublicKey())
        {
            if (leafKey is null || !leafKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                return "the certificate is not for the key of the last signing request";
            }
        }

        if (!string.Equals(leaf.GetNameInfo(X509NameType.SimpleName, false), Id, StringComparison.Ordinal))
        {
            return $"the certificate names {leaf.Subject}, not {Id}";
        }

        var anchors = _installed.Certificates();
        foreach (var candidate in chain.Skip(1).Where(c => current is not null && Issued(c, current, chain)))
        {
            anchors.Add(candidate);
        }

        using var verify = new X509Chain();
        verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verify.ChainPolicy.CustomTrustStore.AddRange(anchors);
        verify.ChainPolicy.ExtraStore.AddRange(chain);
        verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verify.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        verify.ChainPolicy.ApplicationPolicy.Add(ClientAuthenticationUsage);
        if (!verify.Build(leaf))
        {
            return "the certificate does not chain to a trusted CA or is not valid now: " + string.Join(", ", verify.ChainStatus.Select(s => s.Status));
        }

        installed = TlsCredentials.Usable(leaf.CopyWithPrivateKey(key));
        return null;
    }

    /// <summary>Whether <paramref name="authority"/> issued <paramref name="certificate"/> (its chain builds to it).</summary>
    private static bool Issued(X509Certificate2 authority, X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span);
    }

    /// <summary>Writes a new client certificate (and its key) over the files it was loaded from, when it came from files.</summary>
    private void SaveClientCertificate(X509Certificate2 certificate)
    {
        if (_options.ClientCertificatePath is not { Length: > 0 } certificatePath)
        {
            return;
        }

        try
        {
            string key = certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
            if (_options.ClientKeyPath is { Length: > 0 } keyPath && keyPath != certificatePath)
            {
                File.WriteAllText(keyPath, key);
                File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
            }
            else
            {
                File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + key);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            Raise(ChargePointEventKind.Information, $"the new client certificate could not be saved: {ex.Message}");
        }
    }

    internal (InstallCertificateStatus Status, Func<CancellationToken, Task>? Then) InstallCertificate(InstallCertificateRequest request)
    {
        var status = _installed.Install(request.CertificateType, request.Certificate, _time.GetUtcNow());
        Raise(ChargePointEventKind.ConfigurationChanged, $"InstallCertificate {request.CertificateType}: {status}");
        return status == InstallCertificateStatus.Rejected && request.CertificateType == CertificateUse.CentralSystemRootCertificate
            ? (status, ct =>
            {
                // OCA TC_078.
                Forget(ReportSecurityEventAsync(InvalidCentralSystemCertificateEvent, "InstallCertificate: not a valid CA certificate", ct));
                return Task.CompletedTask;
            })
            : (status, null);
    }

    internal DeleteCertificateStatus DeleteCertificate(DeleteCertificateRequest request)
    {
        var status = _installed.Delete(request.CertificateHashData);
        Raise(ChargePointEventKind.ConfigurationChanged, $"DeleteCertificate {request.CertificateHashData.SerialNumber}: {status}");
        return status;
    }

    internal GetInstalledCertificateIdsResponse InstalledCertificateIds(GetInstalledCertificateIdsRequest request)
    {
        var ids = _installed.Ids(request.CertificateType);
        return ids.Count == 0
            ? new GetInstalledCertificateIdsResponse(GetInstalledCertificateStatus.NotFound)
            : new GetInstalledCertificateIdsResponse(GetInstalledCertificateStatus.Accepted, ids);
    }

    /// <summary>The roots trusted for the central system's certificate: the installed central system roots, else those configured.</summary>
    private X509Certificate2Collection? TrustedServerRoots()
    {
        var installed = _installed.Certificates(CertificateUse.CentralSystemRootCertificate);
        return installed.Count > 0 ? installed : _options.TrustedServerRoots;
    }
}
