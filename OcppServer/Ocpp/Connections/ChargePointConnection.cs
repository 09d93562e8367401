using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Framing;

namespace OcppServer.Ocpp.Connections;

/// <summary>
/// One charge point's WebSocket. Inbound CALLs are answered strictly in order by one worker, while the receive loop
/// keeps reading so that CALLRESULTs for our own calls are never stuck behind them. The worker continues on the
/// receiving thread (no hand-off) until its handler first waits; the receive loop resumes from there. Outbound CALLs go
/// one at a time (OCPP-J §4.1.1); later ones queue behind the outstanding call.
/// </summary>
public sealed class ChargePointConnection
{
    private const int ReceiveChunkBytes = 2048;

    /// <summary>How long a connection we close keeps reading while it waits for the charger's close frame.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly IOcppCallDispatcher _dispatcher;
    private readonly IOcppFrameObserver? _observer;
    private readonly OcppOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _outboundGate = new(1, 1);
    // CALLs, and frames answered with a CALLERROR, in the order they arrived: every reply goes out in that order.
    private readonly Channel<OcppFrame> _inbound = Channel.CreateBounded<OcppFrame>(
        new BoundedChannelOptions(32) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait, AllowSynchronousContinuations = true });
    private readonly TaskCompletionSource<string> _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _pendingLock = new();
    private PendingCall? _pending;
    private int _closeRequested;

    public ChargePointConnection(
        string chargePointId,
        WebSocket socket,
        string? remoteAddress,
        IOcppCallDispatcher dispatcher,
        IOcppFrameObserver? observer,
        OcppOptions options,
        TimeProvider time,
        ILogger logger)
    {
        ChargePointId = chargePointId;
        RemoteAddress = remoteAddress;
        _socket = socket;
        _dispatcher = dispatcher;
        _observer = observer;
        _options = options;
        _time = time;
        _logger = logger;
        ConnectedAt = time.GetUtcNow();
    }

    public string ChargePointId { get; }

    public string? RemoteAddress { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>What admitted this connection at its handshake (checked again when credentials change: <see cref="ChargePointConnectionRegistry.RevokeUnlessQualifiedAsync"/>).</summary>
    public AdmissionDecision Admission { get; init; } = AdmissionDecision.Unauthorized;

    /// <summary>The TLS protocol and cipher suite of the connection (e.g. <c>Tls13 TLS_AES_256_GCM_SHA384</c>); null over plain ws://.</summary>
    public string? Tls { get; init; }

    /// <summary>Where the connection reports its CALLERRORs (metrics); nowhere by default.</summary>
    public IOcppTransportTelemetry Telemetry { get; init; } = NoOcppTransportTelemetry.Instance;

    /// <summary>Whether the charge point may send CALLs other than BootNotification (its registration is Accepted).</summary>
    public bool IsRegistrationAccepted { get; set; }

    /// <summary>Cancelled when the connection ends.</summary>
    public CancellationToken Closed => _lifetime.Token;

    /// <summary>The action of the first CALL the charger sent on this connection (cancelled if it sent none before closing).</summary>
    public Task<string> FirstCallAction => _firstCall.Task;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var stoppingRegistration = stopping.Register(static s => ((CancellationTokenSource)s!).Cancel(), _lifetime);
        var worker = Task.Run(() => AnswerCallsAsync(_lifetime.Token), CancellationToken.None);
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            ConnectionLog.ConnectionEnded(_logger, ChargePointId, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug of ours, not the charger's: close so that it reconnects, rather than keep a socket nobody reads.
            ConnectionLog.ReceiveLoopFaulted(_logger, ex, ChargePointId);
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "Internal error");
        }
        finally
        {
            _inbound.Writer.TryComplete();
            await _lifetime.CancelAsync();
            _firstCall.TrySetCanceled();
            FailPendingCall();
            await worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _sendLock.Dispose();
        }
    }

    /// <summary>Closes the socket gracefully (e.g. when a new connection for the same identity replaces this one).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }

        bool closeSent = false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await _sendLock.WaitAsync(timeout.Token);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(status, description, timeout.Token);
                    closeSent = true;
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            ConnectionLog.CloseNotClean(_logger, ChargePointId, ex.Message);
        }
        finally
        {
            FailPendingCall();
            if (closeSent)
            {
                // The receive loop ends the connection when the charger answers our close frame. Cancelling its
                // pending receive now would abort the socket with a TCP reset that can discard the close frame.
                _lifetime.CancelAfter(CloseHandshakeTimeout);
            }
            else
            {
                await _lifetime.CancelAsync();
            }
        }
    }

    /// <summary>Sends a CALL and waits for its CALLRESULT payload. Throws on CALLERROR, timeout or disconnect.</summary>
    public async Task<JsonElement> CallAsync(string action, JsonElement payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            await _outboundGate.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            throw new ChargePointDisconnectedException(ChargePointId);
        }

        var pending = new PendingCall(Guid.NewGuid().ToString("N"), action);
        try
        {
            if (Volatile.Read(ref _closeRequested) == 1)
            {
                throw new ChargePointDisconnectedException(ChargePointId);
            }

            lock (_pendingLock)
            {
                _pending = pending;
            }

            try
            {
                await SendAsync(OcppFrameWriter.Call(pending.UniqueId, action, payload), linked.Token);
            }
            catch (Exception ex) when (pending.Completion.Task.IsCompletedSuccessfully
                && ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
            {
                // The charger answered and closed its socket before our send returned (over TLS the send can complete
                // that late; a charger that takes a new certificate reconnects at once): its answer stands.
            }

            // Not the connection's token: an answer that arrived just before the socket closed must still be returned.
            // A disconnect fails the pending call itself (FailPendingCall).
            var frame = await pending.Completion.Task.WaitAsync(timeout, _time, cancellationToken);
            return frame switch
            {
                OcppCallResult result => result.Payload,
                OcppCallError error => throw new OcppCallErrorException(error.ErrorCode, error.Description),
                OcppMalformedFrame malformed => throw new OcppMalformedAnswerException(ChargePointId, action, malformed.Description),
                _ => throw new InvalidOperationException("Unexpected frame"),
            };
        }
        catch (TimeoutException)
        {
            throw new OcppCallTimeoutException(ChargePointId, action, timeout);
        }
        catch (Exception ex) when ((_lifetime.IsCancellationRequested || Volatile.Read(ref _closeRequested) == 1)
            && ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            throw new ChargePointDisconnectedException(ChargePointId);
        }
        finally
        {
            lock (_pendingLock)
            {
                if (ReferenceEquals(_pending, pending))
                {
                    _pending = null;
                }
            }

            _outboundGate.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] chunk = new byte[ReceiveChunkBytes];
        ArrayBufferWriter<byte>? assembled = null;
        int idleSeconds = _options.IdleTimeoutSeconds;
        using var idle = new CancellationTokenSource();
        using var receiveToken = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token, idle.Token);

        while (_socket.State == WebSocketState.Open)
        {
            if (idleSeconds > 0)
            {
                idle.CancelAfter(TimeSpan.FromSeconds(idleSeconds));
            }

            long total = 0;
            bool oversized = false;
            assembled?.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                try
                {
                    result = await _socket.ReceiveAsync(chunk.AsMemory(), receiveToken.Token);
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested)
                {
                    ConnectionLog.IdleTimeout(_logger, ChargePointId, idleSeconds);
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty);
                    return;
                }

                total += result.Count;
                if (oversized || total > _options.MaxFrameBytes)
                {
                    if (total > _options.MaxDiscardedFrameBytes)
                    {
                        ConnectionLog.FrameTooBigToDiscard(_logger, ChargePointId, _options.MaxDiscardedFrameBytes);
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Frame exceeds {_options.MaxDiscardedFrameBytes} bytes");
                        return;
                    }

                    if (!oversized)
                    {
                        // Keep the start (up to the limit) to read the frame's id from; discard the rest as it comes.
                        oversized = true;
                        assembled ??= new ArrayBufferWriter<byte>(ReceiveChunkBytes * 2);
                        assembled.Write(chunk.AsSpan(0, result.Count - (int)(total - _options.MaxFrameBytes)));
                    }

                    continue;
                }

                if (!result.EndOfMessage || assembled is { WrittenCount: > 0 })
                {
                    assembled ??= new ArrayBufferWriter<byte>(ReceiveChunkBytes * 2);
                    assembled.Write(chunk.AsSpan(0, result.Count));
                }
            }
            while (!result.EndOfMessage);

            ReadOnlyMemory<byte> message = assembled is { WrittenCount: > 0 } ? assembled.WrittenMemory : chunk.AsMemory(0, result.Count);
            if (oversized)
            {
                ConnectionLog.FrameTooBig(_logger, ChargePointId, total, _options.MaxFrameBytes);
                await HandleFrameAsync(OcppFrameParser.Unreadable(
                    message.Span, $"Frame of {total} bytes exceeds the limit of {_options.MaxFrameBytes} bytes; it was discarded", complete: false));
            }
            else
            {
                Observe(FrameDirection.In, message.Span);
                await HandleFrameAsync(result.MessageType == WebSocketMessageType.Binary
                    ? OcppFrameParser.Unreadable(message.Span, "OCPP-J uses text frames only")
                    : OcppFrameParser.Parse(message));
            }

            if (assembled is { Capacity: > 4 * ReceiveChunkBytes })
            {
                assembled = null; // do not keep a large buffer alive on an idle connection
            }
        }
    }

    private async Task HandleFrameAsync(OcppFrame frame)
    {
        switch (frame)
        {
            case OcppCallResult:
                CompletePendingCall(frame);
                break;
            case OcppCallError error:
                Telemetry.CallErrorReceived(error.ErrorCode);
                CompletePendingCall(frame);
                break;
            case OcppMalformedFrame { IsAnswer: true } answer:
                // Answering an answer could start a ping-pong with a charger as confused as this one: fail our call instead.
                ConnectionLog.MalformedAnswer(_logger, ChargePointId, answer.UniqueId, answer.Description);
                CompletePendingCall(answer);
                break;
            default:
                await _inbound.Writer.WriteAsync(frame, _lifetime.Token);
                break;
        }
    }

    /// <summary>
    /// Answers the inbound frames one at a time. Whatever one frame throws, it gets a CALLERROR and the next frame is
    /// processed; only a fault of this loop itself ends the connection, with 1011 so that the charger reconnects.
    /// </summary>
    private async Task AnswerCallsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _inbound.Reader.ReadAllAsync(cancellationToken))
            {
                var reply = frame switch
                {
                    OcppCall call => await DispatchAsync(call, cancellationToken),
                    OcppMalformedFrame malformed => Refuse(malformed),
                    _ => throw new InvalidOperationException($"{frame.GetType().Name} is not answered"),
                };

                await SendAsync(reply.Frame, cancellationToken);
                foreach (var work in reply.AfterReply)
                {
                    _ = RunAfterReplyAsync(work);
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested
            || ex is WebSocketException or IOException or ObjectDisposedException)
        {
            ConnectionLog.AnsweringStopped(_logger, ChargePointId, ex.Message);
        }
        catch (Exception ex)
        {
            ConnectionLog.WorkerFaulted(_logger, ex, ChargePointId);
            _inbound.Writer.TryComplete();
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "Internal error");
        }
    }

    private async Task<OcppReply> DispatchAsync(OcppCall call, CancellationToken cancellationToken)
    {
        _firstCall.TrySetResult(call.Action);
        try
        {
            return await _dispatcher.DispatchAsync(this, call, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ConnectionLog.CallFailed(_logger, ex, call.UniqueId, ChargePointId);
            return OcppReply.Of(OcppFrameWriter.CallError(call.UniqueId, OcppErrorCode.InternalError, "The call could not be processed"));
        }
    }

    private OcppReply Refuse(OcppMalformedFrame malformed)
    {
        ConnectionLog.MalformedFrame(_logger, ChargePointId, malformed.UniqueId, malformed.ErrorCode, malformed.Description);
        Telemetry.CallErrorSent(malformed.ErrorCode);
        return OcppReply.Of(OcppFrameWriter.CallError(malformed.UniqueId, malformed.ErrorCode, malformed.Description));
    }

    /// <summary>The observer (the raw message log) must never take the connection down with it.</summary>
    private void Observe(FrameDirection direction, ReadOnlySpan<byte> frame)
    {
        if (_observer is null)
        {
            return;
        }

        try
        {
            _observer.OnFrame(ChargePointId, direction, frame);
        }
        catch (Exception ex)
        {
            ConnectionLog.ObserverFailed(_logger, ex, ChargePointId);
        }
    }

    private async Task RunAfterReplyAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(_lifetime.Token);
        }
        catch (Exception ex) when (_lifetime.IsCancellationRequested || ex is ChargePointDisconnectedException)
        {
            ConnectionLog.FollowUpStopped(_logger, ChargePointId);
        }
        catch (Exception ex)
        {
            ConnectionLog.FollowUpFailed(_logger, ex, ChargePointId);
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

        Observe(FrameDirection.Out, frame);
    }

    private void CompletePendingCall(OcppFrame frame)
    {
        PendingCall? pending;
        lock (_pendingLock)
        {
            pending = _pending is not null && _pending.UniqueId == frame.UniqueId ? _pending : null;
        }

        if (pending is null)
        {
            ConnectionLog.UnknownAnswer(_logger, frame.GetType().Name, frame.UniqueId, ChargePointId);
            return;
        }

        pending.Completion.TrySetResult(frame);
    }

    private void FailPendingCall()
    {
        lock (_pendingLock)
        {
            _pending?.Completion.TrySetException(new ChargePointDisconnectedException(ChargePointId));
        }
    }

    private sealed class PendingCall(string uniqueId, string action)
    {
        public string UniqueId { get; } = uniqueId;

        public string Action { get; } = action;

        public TaskCompletionSource<OcppFrame> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A connection's frames and its workers: event ids 1000-1049 (1050-1099 are <see cref="EndpointLog"/>'s).</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Frame from {ChargePointId} refused: {UniqueId} answered {ErrorCode}: {Description}")]
    public static partial void MalformedFrame(ILogger logger, string chargePointId, string uniqueId, string errorCode, string description);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Malformed answer {UniqueId} from {ChargePointId}: {Description}")]
    public static partial void MalformedAnswer(ILogger logger, string chargePointId, string uniqueId, string description);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Frame of {Bytes} bytes from {ChargePointId} exceeds {MaxFrameBytes} bytes: discarded")]
    public static partial void FrameTooBig(ILogger logger, string chargePointId, long bytes, int maxFrameBytes);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Closing {ChargePointId}: frame exceeds {MaxDiscardedFrameBytes} bytes")]
    public static partial void FrameTooBigToDiscard(ILogger logger, string chargePointId, int maxDiscardedFrameBytes);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Call {UniqueId} from {ChargePointId} failed; answered InternalError")]
    public static partial void CallFailed(ILogger logger, Exception exception, string uniqueId, string chargePointId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Answering {ChargePointId} failed; closing its connection (1011)")]
    public static partial void WorkerFaulted(ILogger logger, Exception exception, string chargePointId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Reading from {ChargePointId} failed; closing its connection (1011)")]
    public static partial void ReceiveLoopFaulted(ILogger logger, Exception exception, string chargePointId);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Frame observer failed on a frame of {ChargePointId}")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string chargePointId);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Connection of {ChargePointId} ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Close of {ChargePointId} did not complete cleanly: {Reason}")]
    public static partial void CloseNotClean(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Closing {ChargePointId}: no frame for {Seconds} s")]
    public static partial void IdleTimeout(ILogger logger, string chargePointId, int seconds);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "Answering {ChargePointId} stopped: {Reason}")]
    public static partial void AnsweringStopped(ILogger logger, string chargePointId, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "Follow-up work for {ChargePointId} stopped: connection closed")]
    public static partial void FollowUpStopped(ILogger logger, string chargePointId);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Error, Message = "Follow-up work for {ChargePointId} failed")]
    public static partial void FollowUpFailed(ILogger logger, Exception exception, string chargePointId);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Ignoring {FrameType} with unknown id {UniqueId} from {ChargePointId}")]
    public static partial void UnknownAnswer(ILogger logger, string frameType, string uniqueId, string chargePointId);
}
