using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace ChargePointSimulator.Demo;

/// <summary>The status line of an HTTP answer read off the wire (status 0 when none came).</summary>
public sealed record DemoRawAnswer(int Status, string StatusLine);

/// <summary>
/// HTTP/1.1 written by hand over TCP (TLS for https): the attacker sends a request head that announces a body and then
/// sends none of it, to see whether the server answers without waiting for (or reading) the body.
/// </summary>
public static class DemoRawHttp
{
    /// <summary>Sends only the head of a request and reads the status line of the answer, waiting at most <paramref name="timeout"/>.</summary>
    public static async Task<DemoRawAnswer> SendHeadOnlyAsync(
        Uri server, string method, string path, IReadOnlyList<(string Name, string Value)> headers, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port, limit.Token);
            Stream stream = tcp.GetStream();
            if (server.Scheme == Uri.UriSchemeHttps)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = server.Host }, limit.Token);
                stream = tls;
            }

            await using (stream)
            {
                var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\n");
                foreach (var (name, value) in headers)
                {
                    head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), limit.Token);
                await stream.FlushAsync(limit.Token);
                string line = await ReadLineAsync(stream, limit.Token);
                string[] parts = line.Split(' ', 3);
                return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status)
                    ? new DemoRawAnswer(status, line)
                    : new DemoRawAnswer(0, line.Length == 0 ? "the connection closed without an answer" : $"not HTTP: {line}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DemoRawAnswer(0, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return new DemoRawAnswer(0, $"connection failed: {ex.Message}");
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < 1024 && await stream.ReadAsync(one, ct) == 1 && one[0] != (byte)'\n')
        {
            if (one[0] != (byte)'\r')
            {
                line.Append((char)one[0]);
            }
        }

        return line.ToString();
    }
}
