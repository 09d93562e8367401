using System.Net;
using System.Net.Sockets;

namespace ChargePointSimulator.Cli;

/// <summary>Checks a central-system URL: ws/wss (or http/https for the API), and for load tests loopback only.</summary>
public static class EndpointGuard
{
    public static Uri ParseWebSocketUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"{text} is not a ws:// or wss:// URL");
        }

        return uri;
    }

    /// <summary>Whether every address the host resolves to is a loopback address (127.0.0.0/8, ::1).</summary>
    public static async Task<bool> IsLoopbackAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (uri.IsLoopback && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            return IPAddress.IsLoopback(literal);
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address))
        {
            return IPAddress.IsLoopback(address);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
            return addresses.Length > 0 && addresses.All(IPAddress.IsLoopback);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The API base (http[s]://host:port) that serves the same host as the OCPP URL.</summary>
    public static Uri ApiBaseFor(Uri webSocketUri) =>
        new UriBuilder(webSocketUri) { Scheme = webSocketUri.Scheme == "wss" ? "https" : "http", Path = "/", Query = "" }.Uri;
}
