using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Framing;

namespace OcppServer.Tests.Unit;

/// <summary>
/// Faults that no charger can provoke on purpose, injected: a dispatcher that throws, a socket that fails in a way
/// the connection does not expect. The frame that met the fault is answered and the next one processed; a fault of
/// the answering worker itself closes the socket with 1011 instead of leaving it open and deaf.
/// </summary>
public sealed class ChargePointConnectionFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_dispatcher_that_throws_costs_one_InternalError_and_the_next_call_is_answered()
    {
        var socket = new ScriptedSocket();
        var connection = Connect(socket, new ThrowingDispatcher("boom"));
        var run = connection.RunAsync(CancellationToken.None);

        socket.Receive("""[2,"c1","Heartbeat",{}]""");
        socket.Receive("""[2,"boom","Heartbeat",{}]""");
        socket.Receive("""[2,"c2","Heartbeat",{}]""");
        string[] sent = [await socket.NextSentAsync(), await socket.NextSentAsync(), await socket.NextSentAsync()];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent[0], Does.StartWith("""[3,"c1","""));
            Assert.That(sent[1], Does.StartWith("""[4,"boom","InternalError","""));
            Assert.That(sent[2], Does.StartWith("""[3,"c2","""));
            Assert.That(socket.CloseStatus, Is.Null, "the connection goes on");
        }

        socket.EndInput();
        await run.WaitAsync(Timeout);
    }

    [Test]
    public async Task A_fault_of_the_answering_worker_closes_the_socket_with_1011()
    {
        var socket = new ScriptedSocket { FailSends = true };
        var connection = Connect(socket, new ThrowingDispatcher("never"));
        var run = connection.RunAsync(CancellationToken.None);

        socket.Receive("""[2,"c1","Heartbeat",{}]""");

        Assert.That(await socket.Closed.WaitAsync(Timeout), Is.EqualTo(WebSocketCloseStatus.InternalServerError));
        socket.EndInput();
        await run.WaitAsync(Timeout);
    }

    private static ChargePointConnection Connect(WebSocket socket, IOcppCallDispatcher dispatcher) =>
        new("CP-FAULT", socket, "127.0.0.1", dispatcher, null, new OcppOptions { IdleTimeoutSeconds = 0 }, TimeProvider.System,
            NullLogger.Instance);

    /// <summary>Answers every CALL with an empty CALLRESULT, except the one with <paramref name="failingId"/>: that one throws.</summary>
    private sealed class ThrowingDispatcher(string failingId) : IOcppCallDispatcher
    {
        public Task<OcppReply> DispatchAsync(ChargePointConnection connection, OcppCall call, CancellationToken cancellationToken)
        {
            if (call.UniqueId == failingId)
            {
                throw new InvalidOperationException("injected fault");
            }

            using var empty = JsonDocument.Parse("{}");
            return Task.FromResult(OcppReply.Of(OcppFrameWriter.CallResult(call.UniqueId, empty.RootElement)));
        }
    }

    /// <summary>A WebSocket whose inbound text frames the test writes and whose outbound frames the test reads.</summary>
    private sealed class ScriptedSocket : WebSocket
    {
        private readonly Channel<byte[]?> _in = Channel.CreateUnbounded<byte[]?>();
        private readonly Channel<string> _out = Channel.CreateUnbounded<string>();
        private readonly TaskCompletionSource<WebSocketCloseStatus> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WebSocketState _state = WebSocketState.Open;

        public bool FailSends { get; init; }

        public Task<WebSocketCloseStatus> Closed => _closed.Task;

        public override WebSocketCloseStatus? CloseStatus => _closed.Task.IsCompleted ? _closed.Task.Result : null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => _state;

        public override string? SubProtocol => "ocpp1.6";

        public void Receive(string frame) => _in.Writer.TryWrite(Encoding.UTF8.GetBytes(frame));

        /// <summary>The charger closes its side: the next receive is a close frame.</summary>
        public void EndInput() => _in.Writer.TryWrite(null);

        public Task<string> NextSentAsync() => _out.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            byte[]? frame = await _in.Reader.ReadAsync(cancellationToken);
            if (frame is null)
            {
                _state = _state == WebSocketState.CloseSent ? WebSocketState.Closed : WebSocketState.CloseReceived;
                return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, WebSocketCloseStatus.NormalClosure, null);
            }

            frame.CopyTo(buffer.AsSpan());
            return new WebSocketReceiveResult(frame.Length, WebSocketMessageType.Text, true);
        }

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            if (FailSends)
            {
                throw new InvalidOperationException("injected send fault");
            }

            _out.Writer.TryWrite(Encoding.UTF8.GetString(buffer));
            return Task.CompletedTask;
        }

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            _state = _state == WebSocketState.CloseReceived ? WebSocketState.Closed : WebSocketState.CloseSent;
            _closed.TrySetResult(closeStatus);
            return Task.CompletedTask;
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override void Abort() => _state = WebSocketState.Aborted;

        public override void Dispose()
        {
        }
    }
}
