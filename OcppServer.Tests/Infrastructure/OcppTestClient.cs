using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Infrastructure;

/// <summary>Outcome of a WebSocket handshake: HTTP status and response headers.</summary>
public sealed record HandshakeResult(HttpStatusCode Status, IReadOnlyDictionary<string, IEnumerable<string>>? Headers)
{
    public string? Header(string name) =>
        Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { } values
            ? string.Join(", ", values)
            : null;
}

/// <summary>A frame the server sent, parsed just enough for assertions.</summary>
public sealed record ReceivedFrame(string Text, int MessageType, string UniqueId, JsonElement Root)
{
    public JsonElement Payload => MessageType switch
    {
        2 => Root[3],
        3 => Root[2],
        _ => Root[4],
    };

    public string? Action => MessageType == 2 ? Root[2].GetString() : null;

    public string? ErrorCode => MessageType == 4 ? Root[2].GetString() : null;

    public string? ErrorDescription => MessageType == 4 ? Root[3].GetString() : null;
}

/// <summary>
/// A bare OCPP-J 1.6 charge point over a real <see cref="ClientWebSocket"/>, for integration tests: raw frames,
/// CALLs with their answers, and the server's own CALLs queued for the test to answer.
/// Every payload the server sends is checked against the schemas.
/// </summary>
public sealed class OcppTestClient : IAsyncDisposable
{
    private static readonly OcppSchemaValidator Schemas = new();

    private readonly ClientWebSocket _socket;
    private readonly Channel<ReceivedFrame> _replies = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly Channel<ReceivedFrame> _serverCalls = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly Dictionary<string, string> _actionsById = [];
    private readonly Task _receiveLoop;
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _violations = new();
    private int _nextId;

    private OcppTestClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(10);

    public WebSocketState State => _socket.State;

    /// <summary>Completes with the close status the server sent (null if the socket just dropped).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Headers of the server's 101 response.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>>? HandshakeHeaders => _socket.HttpResponseHeaders;

    /// <summary>Connects, offering <paramref name="subProtocols"/> (default: only "ocpp1.6"; empty: none).</summary>
    public static async Task<OcppTestClient> ConnectAsync(
        Uri uri, IReadOnlyList<string>? subProtocols = null, string? user = null, string? password = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        foreach (string subProtocol in subProtocols ?? ["ocpp1.6"])
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        if (password is not null)
        {
            socket.Options.SetRequestHeader("Authorization", BasicAuthorization(user, password));
        }

        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new OcppTestClient(socket);
    }

    /// <summary>Tries to connect and returns the HTTP status of a refused handshake (or 101 when it was accepted).</summary>
    public static async Task<HttpStatusCode> HandshakeStatusAsync(
        Uri uri, string? user = null, string? password = null, string subProtocol = "ocpp1.6", Action<ClientWebSocketOptions>? configure = null) =>
        (await HandshakeAsync(uri, user, password, subProtocol, configure)).Status;

    /// <summary>Tries to connect and returns the HTTP status and headers of the handshake response (101 when accepted).</summary>
    public static async Task<HandshakeResult> HandshakeAsync(
        Uri uri, string? user = null, string? password = null, string subProtocol = "ocpp1.6", Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        socket.Options.AddSubProtocol(subProtocol);
        socket.Options.CollectHttpResponseDetails = true;
        if (password is not null)
        {
            socket.Options.SetRequestHeader("Authorization", BasicAuthorization(user, password));
        }

        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await socket.ConnectAsync(uri, timeout.Token);
            socket.Abort();
            return new HandshakeResult(HttpStatusCode.SwitchingProtocols, socket.HttpResponseHeaders);
        }
        catch (WebSocketException)
        {
            return new HandshakeResult(socket.HttpStatusCode, socket.HttpResponseHeaders);
        }
    }

    public static string BasicAuthorization(string? user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text, bool endOfMessage = true)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, type, endOfMessage, timeout.Token);
    }

    /// <summary>Sends a CALL and returns the server's CALLRESULT or CALLERROR for it.</summary>
    public async Task<ReceivedFrame> CallAsync(string action, object payload, string? uniqueId = null)
    {
        uniqueId ??= $"t{Interlocked.Increment(ref _nextId)}";
        lock (_actionsById)
        {
            _actionsById[uniqueId] = action;
        }

        await SendRawAsync(JsonSerializer.Serialize(new object[] { 2, uniqueId, action, payload }));
        var reply = await NextReplyAsync();
        Assert.That(reply.UniqueId, Is.EqualTo(uniqueId), $"reply to {action}: {reply.Text}");
        return reply;
    }

    /// <summary>Sends a CALL and asserts a CALLRESULT.</summary>
    public async Task<JsonElement> CallResultAsync(string action, object payload)
    {
        var reply = await CallAsync(action, payload);
        Assert.That(reply.MessageType, Is.EqualTo(3), $"{action} answered {reply.Text}");
        return reply.Payload;
    }

    /// <summary>Sends a CALL and asserts a CALLERROR with <paramref name="errorCode"/>.</summary>
    public async Task<ReceivedFrame> CallErrorAsync(string action, object payload, string errorCode)
    {
        var reply = await CallAsync(action, payload);
        Assert.That(reply.MessageType, Is.EqualTo(4), $"{action} answered {reply.Text}");
        Assert.That(reply.ErrorCode, Is.EqualTo(errorCode), reply.Text);
        return reply;
    }

    /// <summary>Sends a minimal BootNotification and returns the registration status the server answered.</summary>
    public async Task<string?> BootAsync(string vendor = "TestVendor", string model = "TestModel")
    {
        var boot = await CallResultAsync("BootNotification", new { chargePointVendor = vendor, chargePointModel = model });
        return boot.GetProperty("status").GetString();
    }

    /// <summary>Asserts the connection still answers a Heartbeat with a CALLRESULT.</summary>
    public async Task AssertUsableAsync()
    {
        var heartbeat = await CallResultAsync("Heartbeat", new { });
        Assert.That(heartbeat.GetProperty("currentTime").GetString(), Does.EndWith("Z"));
    }

    /// <summary>The next CALLRESULT or CALLERROR the server sent.</summary>
    public async Task<ReceivedFrame> NextReplyAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var reply = await _replies.Reader.ReadAsync(cts.Token);
        AssertSchemaConformance();
        return reply;
    }

    /// <summary>Whether a CALLRESULT/CALLERROR arrives within <paramref name="wait"/>.</summary>
    public async Task<ReceivedFrame?> TryNextReplyAsync(TimeSpan wait)
    {
        try
        {
            return await NextReplyAsync(wait);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The next CALL the server sent to this charge point.</summary>
    public async Task<ReceivedFrame> NextServerCallAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var call = await _serverCalls.Reader.ReadAsync(cts.Token);
        AssertSchemaConformance();
        return call;
    }

    /// <summary>The server's next CALL if one arrives within <paramref name="wait"/>, else null.</summary>
    public async Task<ReceivedFrame?> TryNextServerCallAsync(TimeSpan wait)
    {
        try
        {
            return await NextServerCallAsync(wait);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits for the server's next CALL of <paramref name="action"/> and answers it.</summary>
    public async Task<ReceivedFrame> AnswerServerCallAsync(string action, object response)
    {
        var call = await NextServerCallAsync();
        Assert.That(call.Action, Is.EqualTo(action), call.Text);
        await RespondAsync(call, response);
        return call;
    }

    /// <summary>Fails the test if any payload the server sent so far broke its schema.</summary>
    public void AssertSchemaConformance() => Assert.That(_violations, Is.Empty);

    public Task RespondAsync(ReceivedFrame call, object response) =>
        SendRawAsync(JsonSerializer.Serialize(new object[] { 3, call.UniqueId, response }));

    public Task RespondErrorAsync(ReceivedFrame call, string code, string description) =>
        SendRawAsync(JsonSerializer.Serialize(new object[] { 4, call.UniqueId, code, description, new { } }));

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                int count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(_socket.CloseStatus);
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    return;
                }

                Route(Encoding.UTF8.GetString(buffer, 0, count));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _replies.Writer.TryComplete();
            _serverCalls.Writer.TryComplete();
        }
    }

    private void Route(string text)
    {
        var root = JsonDocument.Parse(text).RootElement;
        var frame = new ReceivedFrame(text, root[0].GetInt32(), root[1].GetString()!, root);
        switch (frame.MessageType)
        {
            case 2:
                if (Schemas.HasAction(frame.Action!) && Schemas.ValidateRequest(frame.Action!, frame.Payload) is { } violation)
                {
                    _violations.Enqueue($"server sent an invalid {frame.Action} ({violation.Description}): {text}");
                }

                _serverCalls.Writer.TryWrite(frame);
                break;
            case 3:
                string? action;
                lock (_actionsById)
                {
                    _actionsById.TryGetValue(frame.UniqueId, out action);
                }

                if (action is not null)
                {
                    if (Schemas.ValidateResponse(action, frame.Payload) is { } invalid)
                    {
                        _violations.Enqueue($"server answered {action} with an invalid payload ({invalid.Description}): {text}");
                    }
                }

                _replies.Writer.TryWrite(frame);
                break;
            default:
                _replies.Writer.TryWrite(frame);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket.Abort();
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }
}
