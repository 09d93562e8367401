using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OcppServer.Ocpp;

namespace OcppServer;

/// <summary>TLS of the HTTPS endpoints (section <c>Security:Tls</c>).</summary>
public sealed class TlsOptions
{
    public const string Section = "Security:Tls";

    /// <summary>
    /// The OCPP 1.6 security whitepaper's cipher suites for TLS 1.2 (ECDHE-ECDSA with an EC server certificate, RSA key
    /// transport with an RSA one), and the AES-GCM suites of TLS 1.3.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> WhitepaperCipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
    ];

    /// <summary>The cipher suites offered (names of <see cref="TlsCipherSuite"/>); empty: <see cref="WhitepaperCipherSuites"/>.</summary>
    public string[] CipherSuites { get; set; } = [];
}

/// <summary>
/// How the server is reached securely. Every HTTPS endpoint (configured the ASP.NET Core way: <c>Kestrel:Endpoints</c>,
/// <c>Kestrel:Certificates</c>, or an https URL in <c>Urls</c>) speaks TLS 1.2 or 1.3 only, with the whitepaper's cipher
/// suites where the platform lets them be chosen (Linux, macOS), and asks for a client certificate without requiring
/// one or judging it: the charge point's admission checks it (security profile 3), so that a refused certificate is a
/// 401 and a security event rather than a silent TLS failure. Plain http is served only on loopback addresses unless
/// <c>Ocpp:AllowInsecureTransport</c> says otherwise: the server refuses to start and says why.
/// </summary>
public static class TransportSecurity
{
    private const SslProtocols Allowed = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static void Apply(WebApplicationBuilder builder)
    {
        var tls = builder.Configuration.GetSection(TlsOptions.Section).Get<TlsOptions>() ?? new TlsOptions();
        // Chosen per connection by OpenSSL (Linux) or the platform's TLS (macOS); Windows takes its suites from the OS policy.
        var policy = OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(CipherSuites(tls));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.SslProtocols = Allowed;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.CheckCertificateRevocation = false; // the admission checks revocation against the configured CRL and the API's list
            https.ClientCertificateValidation = static (_, _, _) => true; // judged by the admission, with the charge point CA
            https.OnAuthenticate = (_, ssl) =>
            {
                // An endpoint's own configuration (Kestrel:Endpoints:X:SslProtocols) cannot bring back TLS 1.0 or 1.1.
                ssl.EnabledSslProtocols = (ssl.EnabledSslProtocols & Allowed) is var allowed and not SslProtocols.None ? allowed : Allowed;
                if (policy is not null)
                {
                    ssl.CipherSuitesPolicy = policy;
                }
            };
        }));
        builder.Services.AddHostedService<PlainEndpointGuard>();
        TlsHandshakeFailures.Apply(builder);
    }

    private static IReadOnlyList<TlsCipherSuite> CipherSuites(TlsOptions options)
    {
        if (options.CipherSuites.Length == 0)
        {
            return TlsOptions.WhitepaperCipherSuites;
        }

        return options.CipherSuites.Select(name => Enum.TryParse<TlsCipherSuite>(name, ignoreCase: false, out var suite)
            ? suite
            : throw new InvalidOperationException($"{TlsOptions.Section}:CipherSuites: '{name}' is not a TLS cipher suite name (e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)")).ToList();
    }

    /// <summary>
    /// The addresses the configuration asks for: <c>Kestrel:Endpoints:*:Url</c> when there are any (Kestrel then ignores
    /// <c>Urls</c>), otherwise <c>Urls</c> (and <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, which listen on every address).
    /// </summary>
    public static IReadOnlyList<string> ConfiguredAddresses(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }

        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (urls.Count == 0)
        {
            urls.AddRange(Ports(configuration["http_ports"]).Select(p => $"http://*:{p}"));
            urls.AddRange(Ports(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        }

        return urls;
    }

    private static IEnumerable<string> Ports(string? ports) => (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Throws, saying why, when a plain http address listens beyond loopback and insecure transport is not allowed.</summary>
    public static void EnsurePlainEndpointsAreLoopback(IEnumerable<string> addresses, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>($"{OcppOptions.Section}:{nameof(OcppOptions.AllowInsecureTransport)}"))
        {
            return;
        }

        var exposed = addresses.Where(a => IsPlain(a) && !IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            throw new InsecureEndpointException(
                $"Refusing to start: plain http endpoint {string.Join(", ", exposed)} listens beyond loopback, where charge points would send their " +
                "AuthorizationKey and operators their API key in clear. Serve it over https (e.g. Kestrel__Endpoints__Https__Url=https://0.0.0.0:8443 " +
                "with Kestrel__Certificates__Default__Path=server.pem and Kestrel__Certificates__Default__KeyPath=server.key), keep plain http on " +
                "127.0.0.1 or [::1], or set Ocpp__AllowInsecureTransport=true to accept the risk (README: Running in production).");
        }
    }

    internal static bool IsPlain(string address) => address.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the address's host listens on loopback only: 127.0.0.0/8, ::1, or <c>localhost</c> (which Kestrel binds to loopback only).</summary>
    internal static bool IsLoopback(string address)
    {
        string rest = address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']'))]
            : rest.Split(':', '/')[0];
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Checks what the server really listens on once it has bound (whatever way the addresses were configured).</summary>
    private sealed class PlainEndpointGuard(IServer server, IConfiguration configuration) : IHostedLifecycleService
    {
        public Task StartedAsync(CancellationToken cancellationToken)
        {
            EnsurePlainEndpointsAreLoopback(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [], configuration);
            return Task.CompletedTask;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The configuration serves plain http beyond loopback without <c>Ocpp:AllowInsecureTransport</c>: the server does not start.</summary>
public sealed class InsecureEndpointException(string message) : InvalidOperationException(message);
