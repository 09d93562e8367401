using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace ChargePointSimulator.Fuzz;

/// <summary>A message from the server, or the end of the connection (<see cref="IsClose"/>), stamped when it arrived.</summary>
internal sealed record Inbound(WebSocketMessageType Type, byte[] Data, long Timestamp, WebSocketCloseStatus? CloseStatus = null, string? CloseReason = null)
{
    public bool IsClose => Type == WebSocketMessageType.Close;

    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>
/// The fuzzer's raw WebSocket: sends bytes exactly as given (text or binary, in the fragments given, valid UTF-8 or not)
/// and reads whatever comes back on a loop of its own, so that waiting for a reply with a time limit never cancels a
/// receive (which would abort the socket).
/// </summary>
internal sealed class FuzzSocket : IAsyncDisposable
{
    private const int MaxInboundBytes = 16 << 20;

    private readonly ClientWebSocket _socket;
    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _receiveLoop;

    private FuzzSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<FuzzSocket> ConnectAsync(Uri uri, string chargePointId, string? password, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol("ocpp1.6");
            if (password is not null)
            {
                string credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{chargePointId}:{password}"));
                socket.Options.SetRequestHeader("Authorization", "Basic " + credentials);
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await socket.ConnectAsync(uri, limit.Token);
            if (socket.SubProtocol != "ocpp1.6")
            {
                throw new WebSocketException(WebSocketError.UnsupportedProtocol, "The server did not agree to ocpp1.6");
            }

            return new FuzzSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="bytes"/> as one message, split into fragments of <paramref name="fragmentLengths"/>.</summary>
    public async Task SendAsync(byte[] bytes, WebSocketMessageType type, IReadOnlyList<int> fragmentLengths, CancellationToken cancellationToken)
    {
        int offset = 0;
        for (int i = 0; i < fragmentLengths.Count; i++)
        {
            await _socket.SendAsync(bytes.AsMemory(offset, fragmentLengths[i]), type, endOfMessage: i == fragmentLengths.Count - 1, cancellationToken);
            offset += fragmentLengths[i];
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return SendAsync(bytes, WebSocketMessageType.Text, [bytes.Length], cancellationToken);
    }

    /// <summary>The next message (or the close), or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<Inbound?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // WaitToReadAsync, not ReadAsync: a read given up on must not swallow the message that comes later.
            while (await _inbound.Reader.WaitToReadAsync(limit.Token))
            {
                if (_inbound.Reader.TryRead(out var inbound))
                {
                    return inbound;
                }
            }

            return new Inbound(WebSocketMessageType.Close, [], Stopwatch.GetTimestamp(), null, "the connection had already ended");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var message = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(message.GetMemory(4096), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _inbound.Writer.TryWrite(new Inbound(WebSocketMessageType.Close, [], Stopwatch.GetTimestamp(), _socket.CloseStatus, _socket.CloseStatusDescription));
                    return;
                }

                message.Advance(result.Count);
                if (message.WrittenCount > MaxInboundBytes)
                {
                    throw new WebSocketException(WebSocketError.Faulted, $"The server sent a message over {MaxInboundBytes} bytes");
                }

                if (result.EndOfMessage)
                {
                    _inbound.Writer.TryWrite(new Inbound(result.MessageType, message.WrittenSpan.ToArray(), Stopwatch.GetTimestamp()));
                    message.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _inbound.Writer.TryWrite(new Inbound(WebSocketMessageType.Close, [], Stopwatch.GetTimestamp(), _socket.CloseStatus, $"dropped: {ex.Message}"));
        }
        finally
        {
            _inbound.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Going away anyway.
            }
        }

        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
    }
}
