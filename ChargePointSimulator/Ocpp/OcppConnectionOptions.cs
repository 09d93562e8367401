namespace ChargePointSimulator.Ocpp;

/// <summary>How one OCPP-J WebSocket is opened.</summary>
public sealed record OcppConnectionOptions
{
    public const string SubProtocol = "ocpp1.6";

    /// <summary>Security profiles 1 and 2: HTTP Basic with user name = charge point identity.</summary>
    public string? Password { get; init; }

    /// <summary>Security profile 3: the client certificate (with its key) presented in the TLS handshake.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The roots trusted for the central system's certificate over wss://; null: the system's roots.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? TrustedServerRoots { get; init; }

    /// <summary>WebSocket ping interval of the client; zero leaves pings to the server.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.Zero;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Size of the receive buffer kept per connection; larger frames are assembled on demand.</summary>
    public int ReceiveBufferBytes { get; init; } = 4096;

    /// <summary>
    /// Opens the HTTP connection for the handshake (e.g. a <see cref="System.Net.Http.SocketsHttpHandler"/> whose
    /// ConnectCallback binds a source address). Null: the default handler.
    /// </summary>
    public HttpMessageInvoker? HttpInvoker { get; init; }

    /// <summary>The endpoint <c>{baseUri}/{chargePointId}</c>, the identity escaped as one path segment.</summary>
    public static Uri EndpointFor(Uri baseUri, string chargePointId)
    {
        string text = baseUri.ToString().TrimEnd('/');
        return new Uri($"{text}/{Uri.EscapeDataString(chargePointId)}");
    }
}
