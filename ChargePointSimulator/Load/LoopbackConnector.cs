using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Load;

/// <summary>
/// Opens the TCP connections of the WebSocket handshakes. ClientWebSocket cannot bind a local address, so a
/// <see cref="SocketsHttpHandler"/> whose ConnectCallback binds the socket to 127.0.0.x before connecting is passed to
/// ClientWebSocket.ConnectAsync: with A source addresses the run has A × (ephemeral ports) client ports to use. Over
/// wss:// the handler does the TLS (ClientWebSocket takes no TLS options with an invoker of its own): it trusts
/// <c>trustedRoots</c> for the server's certificate, and a charger with a client certificate (security profile 3) gets a
/// handler of its own that presents it.
/// </summary>
public sealed class LoopbackConnector : IDisposable
{
    private readonly IPAddress _target;
    private readonly IPAddress[] _sources;
    private readonly SocketsHttpHandler _handler;
    private readonly X509Certificate2Collection? _trustedRoots;
    private readonly ConcurrentBag<SocketsHttpHandler> _ownHandlers = [];

    public LoopbackConnector(IPAddress target, int sourceAddresses, X509Certificate2Collection? trustedRoots = null)
    {
        _target = target;
        _trustedRoots = trustedRoots;
        _sources = target.AddressFamily == AddressFamily.InterNetwork && sourceAddresses > 1
            ? Enumerable.Range(1, sourceAddresses).Select(i => new IPAddress([127, 0, 0, (byte)i])).ToArray()
            : [];
        _handler = CreateHandler(null);
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    private SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = int.MaxValue,
            UseProxy = false,
        };
        if (_trustedRoots is { } roots)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TlsCredentials.ValidateServer(certificate, errors, roots);
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }

    /// <summary>Pass to ClientWebSocket.ConnectAsync (via OcppConnectionOptions.HttpInvoker).</summary>
    public HttpMessageInvoker Invoker { get; }

    public int SourceAddressCount => Math.Max(1, _sources.Length);

    /// <summary>The source address connection <paramref name="index"/> of the run binds to (null: the kernel picks).</summary>
    public IPAddress? SourceFor(int index) => _sources.Length == 0 ? null : _sources[index % _sources.Length];

    /// <summary>How many 127.0.0.x addresses <paramref name="connections"/> need so that each uses at most half of its ports.</summary>
    public static int AddressesNeeded(int connections, int ephemeralPorts) =>
        connections <= ephemeralPorts / 2 ? 1 : (int)Math.Ceiling(connections / (ephemeralPorts / 2.0));

    /// <summary>Resolves the host of a URL to a loopback address (IPv4 preferred); throws for anything else.</summary>
    public static async Task<IPAddress> ResolveLoopbackAsync(Uri url, CancellationToken cancellationToken)
    {
        string host = url.IdnHost.Trim('[', ']');
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0 || !addresses.All(IPAddress.IsLoopback))
        {
            throw new ArgumentException($"{url} is not a loopback address: load runs only target this machine (127.0.0.0/8, ::1)");
        }

        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var source = context.InitialRequestMessage.Options.TryGetValue(SourceAddressKey, out var chosen) ? chosen : null;
        var socket = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(new IPEndPoint(_target, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Request option carrying the source address; set per handshake by <see cref="SourceBindingInvoker"/>.</summary>
    internal static readonly HttpRequestOptionsKey<IPAddress?> SourceAddressKey = new("ocppauth.source-address");

    /// <summary>
    /// An invoker that tags each handshake with the source address for connection <paramref name="index"/>, and presents
    /// <paramref name="clientCertificate"/> in the TLS handshake when given (a handler of its own, kept until disposal).
    /// </summary>
    public HttpMessageInvoker InvokerFor(int index, X509Certificate2? clientCertificate = null)
    {
        var handler = _handler;
        if (clientCertificate is not null)
        {
            handler = CreateHandler(clientCertificate);
            _ownHandlers.Add(handler);
        }

        return SourceFor(index) is { } source ? new SourceBindingInvoker(handler, source)
            : handler == _handler ? Invoker : new HttpMessageInvoker(handler, disposeHandler: false);
    }

    public void Dispose()
    {
        Invoker.Dispose();
        _handler.Dispose();
        foreach (var handler in _ownHandlers)
        {
            handler.Dispose();
        }
    }

    private sealed class SourceBindingInvoker(HttpMessageHandler handler, IPAddress source) : HttpMessageInvoker(handler, disposeHandler: false)
    {
        public override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.Set(SourceAddressKey, source);
            return base.Send(request, cancellationToken);
        }

        public override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.Set(SourceAddressKey, source);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
