using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ChargePointSimulator.Ocpp;

/// <summary>
/// One OCPP-J 1.6 WebSocket of a charge point. At most one CALL is outstanding (OCPP-J §4.1.1): <see cref="CallAsync"/>
/// waits for the previous one to be answered. Server CALLs are answered in the order they arrive.
/// </summary>
public sealed class OcppClientConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly string _chargePointId;
    private readonly IOcppServerCallHandler? _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _receiveBufferBytes;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _callGate = new(1, 1);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PendingCall? _pending;
    private long _nextId;
    private Task _receiveLoop = Task.CompletedTask;

    private OcppClientConnection(
        ClientWebSocket socket, string chargePointId, IOcppServerCallHandler? handler, int receiveBufferBytes, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _chargePointId = chargePointId;
        _handler = handler;
        _receiveBufferBytes = receiveBufferBytes;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes with a reason when the socket has closed or dropped.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted && _socket.State == WebSocketState.Open;

    /// <summary>Opens the WebSocket (subprotocol ocpp1.6, optional Basic auth) and starts reading.</summary>
    public static async Task<OcppClientConnection> ConnectAsync(
        Uri endpoint,
        string chargePointId,
        OcppConnectionOptions options,
        IOcppServerCallHandler? handler,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(OcppConnectionOptions.SubProtocol);
            socket.Options.KeepAliveInterval = options.KeepAliveInterval;
            socket.Options.SetBuffer(Math.Max(options.ReceiveBufferBytes, 256), 1024);
            if (endpoint.Scheme == "wss" && options.TrustedServerRoots is { } roots)
            {
                socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TlsCredentials.ValidateServer(certificate, errors, roots);
            }

            if (endpoint.Scheme == "wss" && options.ClientCertificate is { } clientCertificate)
            {
                socket.Options.ClientCertificates = [clientCertificate];
            }

            if (options.Password is not null)
            {
                string credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{chargePointId}:{options.Password}"));
                socket.Options.SetRequestHeader("Authorization", "Basic " + credentials);
            }

            using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await socket.ConnectAsync(endpoint, options.HttpInvoker, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new WebSocketException(WebSocketError.Faulted, $"Connecting to {endpoint} timed out");
            }

            if (socket.SubProtocol != OcppConnectionOptions.SubProtocol)
            {
                throw new WebSocketException(WebSocketError.UnsupportedProtocol, $"Server did not agree to {OcppConnectionOptions.SubProtocol}");
            }

            var connection = new OcppClientConnection(socket, chargePointId, handler, options.ReceiveBufferBytes, time, logger);
            connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a CALL and returns its CALLRESULT payload; throws <see cref="OcppCallErrorException"/> on CALLERROR.</summary>
    public async Task<JsonElement> CallAsync(string action, JsonElement payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            await _callGate.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OcppNotConnectedException($"{_chargePointId} is not connected");
        }

        var pending = new PendingCall(Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture), action);
        try
        {
            Volatile.Write(ref _pending, pending);
            if (_closed.Task.IsCompleted)
            {
                throw new OcppNotConnectedException($"{_chargePointId} is not connected");
            }

            await SendAsync(OcppFrameCodec.Call(pending.UniqueId, action, payload), linked.Token);
            var frame = await pending.Completion.Task.WaitAsync(timeout, _time, linked.Token);
            return frame switch
            {
                OcppCallResultFrame result => result.Payload,
                OcppCallErrorFrame error => throw new OcppCallErrorException(action, error.ErrorCode, error.Description),
                _ => throw new InvalidOperationException("Unexpected frame"),
            };
        }
        catch (TimeoutException)
        {
            throw new OcppCallTimeoutException(action, timeout);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            throw new OcppNotConnectedException($"{_chargePointId} lost its connection during {action}: {ex.Message}");
        }
        finally
        {
            Interlocked.CompareExchange(ref _pending, null, pending);
            _callGate.Release();
        }
    }

    /// <summary>Closes the WebSocket with a normal closure (or aborts it when that does not complete quickly).</summary>
    public async Task CloseAsync(string reason = "closing")
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            try
            {
                await _sendLock.WaitAsync(timeout.Token);
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }

                // Wait for the server's close (the receive loop ends) before aborting: an abort resets the TCP
                // connection, and a reset makes the server drop what it has not read yet, e.g. our last answer.
                await _receiveLoop.WaitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
                _logger.LogDebug("Close of {ChargePointId} did not complete: {Reason}", _chargePointId, ex.Message);
            }
        }

        Abort(reason);
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Drops the connection at once, like a cut cable.</summary>
    public void Abort(string reason = "aborted")
    {
        _closed.TrySetResult(reason);
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Completing Closed lets the owner dispose the connection at once (on another thread): it is aborted already.
            return;
        }

        _socket.Abort();
        FailPending();
    }

    public async ValueTask DisposeAsync()
    {
        Abort("disposed");
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _lifetime.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] chunk = new byte[_receiveBufferBytes];
        ArrayBufferWriter<byte>? assembled = null;
        string reason = "connection closed";
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                ValueWebSocketReceiveResult result;
                assembled?.ResetWrittenCount();
                do
                {
                    result = await _socket.ReceiveAsync(chunk.AsMemory(), _lifetime.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        reason = $"server closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription})".TrimEnd();
                        await ReplyToCloseAsync();
                        return;
                    }

                    if (!result.EndOfMessage || assembled is { WrittenCount: > 0 })
                    {
                        assembled ??= new ArrayBufferWriter<byte>(_receiveBufferBytes * 2);
                        assembled.Write(chunk.AsSpan(0, result.Count));
                    }
                }
                while (!result.EndOfMessage);

                var message = assembled is { WrittenCount: > 0 } ? assembled.WrittenMemory : chunk.AsMemory(0, result.Count);
                await OnMessageAsync(message);
                if (assembled is { Capacity: > 16 * 1024 })
                {
                    assembled = null;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            reason = _lifetime.IsCancellationRequested ? "closed locally" : $"connection lost: {ex.Message}";
        }
        finally
        {
            _closed.TrySetResult(reason);
            await _lifetime.CancelAsync();
            FailPending();
        }
    }

    private async Task ReplyToCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            _logger.LogDebug("Answering the close of {ChargePointId} failed: {Reason}", _chargePointId, ex.Message);
        }
    }

    private async Task OnMessageAsync(ReadOnlyMemory<byte> message)
    {
        switch (OcppFrameCodec.Parse(message))
        {
            case OcppFrame reply when reply is OcppCallResultFrame or OcppCallErrorFrame:
                var pending = Volatile.Read(ref _pending);
                if (pending is not null && pending.UniqueId == reply.UniqueId)
                {
                    pending.Completion.TrySetResult(reply);
                }
                else
                {
                    _logger.LogWarning("{ChargePointId} ignores an answer to unknown call {UniqueId}", _chargePointId, reply.UniqueId);
                }

                break;
            case OcppCallFrame call:
                await AnswerAsync(call);
                break;
            default:
                _logger.LogWarning("{ChargePointId} received a frame that is not OCPP-J: {Text}", _chargePointId,
                    Encoding.UTF8.GetString(message.Span[..Math.Min(message.Length, 200)]));
                await SendAsync(OcppFrameCodec.CallError("-1", OcppErrorCodes.FormationViolation, "Not an OCPP-J frame"), _lifetime.Token);
                break;
        }
    }

    private async Task AnswerAsync(OcppCallFrame call)
    {
        OcppServerCallReply reply;
        if (_handler is null)
        {
            reply = OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.NotImplemented, $"{call.Action} is not implemented");
        }
        else
        {
            try
            {
                reply = await _handler.HandleAsync(call, _lifetime.Token);
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "{ChargePointId} failed to handle {Action}", _chargePointId, call.Action);
                reply = OcppServerCallReply.Error(call.UniqueId, OcppErrorCodes.InternalError, $"{call.Action} failed");
            }
        }

        await SendAsync(reply.Frame, _lifetime.Token);
        if (reply.AfterReply is { } work)
        {
            _ = RunAfterReplyAsync(call.Action, work);
        }
    }

    private async Task RunAfterReplyAsync(string action, Func<CancellationToken, Task> work)
    {
        try
        {
            await Task.Yield();
            await work(CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or OcppNotConnectedException)
        {
            _logger.LogDebug("Follow-up of {Action} on {ChargePointId} stopped: {Reason}", action, _chargePointId, ex.Message);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Follow-up of {Action} on {ChargePointId} failed", action, _chargePointId);
        }
    }

    private async Task SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void FailPending() =>
        Volatile.Read(ref _pending)?.Completion.TrySetException(new OcppNotConnectedException($"{_chargePointId} lost its connection"));

    private sealed class PendingCall(string uniqueId, string action)
    {
        public string UniqueId { get; } = uniqueId;

        public string Action { get; } = action;

        public TaskCompletionSource<OcppFrame> Completion { get; } = new();
    }
}
