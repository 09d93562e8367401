using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Cli;

/// <summary>
/// The security options shared by <c>run</c> and <c>demo</c> (OCPP 1.6 security whitepaper): the profile to connect
/// with, the roots trusted for the server's certificate, the charger's client certificate (profile 3).
/// </summary>
public sealed class TlsOptions
{
    public Option<int?> SecurityProfile { get; } = new("--security-profile")
    {
        Description = "Security profile: 1 Basic, 2 Basic over wss://, 3 client certificate over wss:// (default: from the URL and credentials)",
    };

    public Option<FileInfo?> Ca { get; } = new("--ca") { Description = "PEM file of the root(s) to trust for the server's TLS certificate (default: the system's)" };

    public Option<FileInfo?> ClientCertificate { get; } = new("--client-cert") { Description = "PEM file of the charger's client certificate (security profile 3)" };

    public Option<FileInfo?> ClientKey { get; } = new("--client-key") { Description = "PEM file of its private key (default: in --client-cert)" };

    public Option<string?> CpoName { get; } = new("--cpo-name")
    {
        Description = "Subject O of the certificate signing requests the charger makes (SignCertificate); the CN is its identity",
    };

    public IEnumerable<Option> All => [SecurityProfile, Ca, ClientCertificate, ClientKey, CpoName];

    /// <summary>The trusted roots given with --ca, or null.</summary>
    public X509Certificate2Collection? Roots(ParseResult parse) =>
        parse.GetValue(Ca) is { } ca ? TlsCredentials.LoadRoots(ca.FullName) : null;

    /// <summary>The client certificate given with --client-cert (and --client-key), or null.</summary>
    public X509Certificate2? Certificate(ParseResult parse) =>
        parse.GetValue(ClientCertificate) is { } certificate
            ? TlsCredentials.LoadCertificate(certificate.FullName, parse.GetValue(ClientKey)?.FullName)
            : null;

    /// <summary>Checks --security-profile against the URL and what was given; throws ArgumentException saying what is missing.</summary>
    public static void Check(int? profile, Uri url, bool hasPassword, bool hasCertificate)
    {
        if (profile is { } p && (p < 0 || p > 3))
        {
            throw new ArgumentException("--security-profile is 0, 1, 2 or 3");
        }

        bool secure = url.Scheme is "wss" or "https";
        if (profile >= 2 && !secure)
        {
            throw new ArgumentException($"Security profile {profile} needs a wss:// (or https://) URL");
        }

        if (profile == 3 && !hasCertificate)
        {
            throw new ArgumentException("Security profile 3 needs a client certificate (--client-cert, --client-key)");
        }

        if (profile is 1 or 2 && !hasPassword)
        {
            throw new ArgumentException($"Security profile {profile} needs a password (--password, or --api-key to derive it)");
        }
    }
}
