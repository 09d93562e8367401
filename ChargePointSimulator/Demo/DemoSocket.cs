using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

/// <summary>The answer to a WebSocket handshake: its HTTP status (101 when accepted), its WWW-Authenticate, the socket if accepted.</summary>
public sealed record DemoHandshake(HttpStatusCode Status, string? WwwAuthenticate, DemoSocket? Socket)
{
    public bool Accepted => Status == HttpStatusCode.SwitchingProtocols;

    public bool Unauthorized => Status == HttpStatusCode.Unauthorized && WwwAuthenticate is not null;

    public string Describe() => Accepted
        ? "101 Switching Protocols"
        : $"{(int)Status} {Status}" + (WwwAuthenticate is null ? " (no WWW-Authenticate)" : $", WWW-Authenticate: {WwwAuthenticate}");
}

/// <summary>What the server answered to one CALL: its CALLRESULT payload, or its CALLERROR code and description.</summary>
public sealed record DemoReply(JsonElement? Payload, string? ErrorCode, string? ErrorDescription)
{
    public string Describe() => Payload is { } payload ? $"CALLRESULT {Shorten(payload.GetRawText())}" : $"CALLERROR {ErrorCode}: {ErrorDescription}";

    /// <summary>The CALLRESULT's <c>idTagInfo.status</c> (Authorize, StartTransaction), if any.</summary>
    public string? IdTagStatus =>
        Payload is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("idTagInfo", out var info) && info.TryGetProperty("status", out var s) ? s.GetString() : null;

    /// <summary>The CALLRESULT's <c>transactionId</c> (StartTransaction), if any.</summary>
    public int? TransactionId =>
        Payload is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("transactionId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : null;

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}

/// <summary>
/// An attacker's OCPP-J WebSocket: the handshake with whatever credentials the attacker holds, CALLs whose payload text is
/// sent exactly as given (so it may be malformed), and the close the server sends. Server CALLs are answered as a
/// compliant charger would (configuration changes, cache clearing and remote stops Accepted; anything else
/// NotImplemented), so that the server is never left waiting.
/// </summary>
public sealed class DemoSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DemoReply>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _receiveLoop;
    private int _nextId;

    private DemoSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>
    /// Opens <c>{ocppBase}/{identity}</c> with subprotocol ocpp1.6 and, when <paramref name="password"/> is given, HTTP
    /// Basic <paramref name="user"/>:<paramref name="password"/>. A refused handshake is returned, not thrown.
    /// </summary>
    public static async Task<DemoHandshake> ConnectAsync(
        Uri ocppBase, string identity, string? user, string? password, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(OcppConnectionOptions.SubProtocol);
        socket.Options.CollectHttpResponseDetails = true;
        if (password is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? identity}:{password}")));
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(OcppConnectionOptions.EndpointFor(ocppBase, identity), limit.Token);
        }
        catch (WebSocketException)
        {
            var refused = new DemoHandshake(socket.HttpStatusCode, WwwAuthenticate(socket), null);
            socket.Dispose();
            return refused;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DemoStepException($"The handshake of {identity} was not answered within {timeout.TotalSeconds:0} s");
        }

        if (socket.SubProtocol != OcppConnectionOptions.SubProtocol)
        {
            socket.Dispose();
            throw new DemoStepException($"The server did not agree to {OcppConnectionOptions.SubProtocol} for {identity}");
        }

        return new DemoHandshake(HttpStatusCode.SwitchingProtocols, null, new DemoSocket(socket));
    }

    /// <summary>Sends <c>[2,id,action,payload]</c> with <paramref name="payloadJson"/> as written and waits for its answer.</summary>
    public async Task<DemoReply> CallAsync(string action, string payloadJson, TimeSpan timeout, CancellationToken ct)
    {
        string id = "demo-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<DemoReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new OcppNotConnectedException($"The connection closed before {action}");
            }

            await SendAsync($"[2,\"{id}\",\"{action}\",{payloadJson}]", ct);
            return await answer.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new OcppCallTimeoutException(action, timeout);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            throw new OcppNotConnectedException($"The connection failed during {action}: {ex.Message}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Sends a CALL whose payload is <paramref name="payload"/> in OCPP-J JSON.</summary>
    public Task<DemoReply> CallAsync<T>(string action, T payload, TimeSpan timeout, CancellationToken ct) =>
        CallAsync(action, Encoding.UTF8.GetString(OcppJson.ToUtf8(payload)), timeout, ct);

    /// <summary>Waits for the server to close the socket; returns whether it did, and its close status.</summary>
    public async Task<(bool Closed, WebSocketCloseStatus? Status)> WaitClosedAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return (true, await _closed.Task.WaitAsync(timeout, ct));
        }
        catch (TimeoutException)
        {
            return (false, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // Going away anyway.
            }
        }

        _socket.Abort();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private static string? WwwAuthenticate(ClientWebSocket socket) =>
        socket.HttpResponseHeaders is { } headers && headers.TryGetValue("WWW-Authenticate", out var values) ? string.Join(", ", values) : null;

    private async Task SendAsync(string text, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
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
                    _closed.TrySetResult(_socket.CloseStatus);
                    return;
                }

                message.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    await OnMessageAsync(message.WrittenMemory);
                    message.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(_socket.CloseStatus);
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new OcppNotConnectedException($"The connection closed ({_socket.CloseStatus})"));
            }
        }
    }

    private async Task OnMessageAsync(ReadOnlyMemory<byte> text)
    {
        switch (OcppFrameCodec.Parse(text))
        {
            case OcppCallResultFrame result when _pending.TryGetValue(result.UniqueId, out var answer):
                answer.TrySetResult(new DemoReply(result.Payload, null, null));
                break;
            case OcppCallErrorFrame error when _pending.TryGetValue(error.UniqueId, out var answer):
                answer.TrySetResult(new DemoReply(null, error.ErrorCode, error.Description));
                break;
            case OcppCallFrame call:
                await SendAsync(call.Action is "ChangeConfiguration" or "ClearCache" or "RemoteStopTransaction"
                    ? $"[3,{JsonSerializer.Serialize(call.UniqueId)},{{\"status\":\"Accepted\"}}]"
                    : Encoding.UTF8.GetString(OcppFrameCodec.CallError(call.UniqueId, OcppErrorCodes.NotImplemented, $"{call.Action} is not implemented")),
                    CancellationToken.None);
                break;
        }
    }
}
