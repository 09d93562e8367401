using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace ChargePointSimulator.Fuzz;

/// <summary>Settings of a fuzz run.</summary>
public sealed record FuzzOptions
{
    /// <summary>OCPP endpoint without the identity, e.g. <c>ws://127.0.0.1:8180/ocpp</c>.</summary>
    public required Uri Endpoint { get; init; }

    public required string ChargePointId { get; init; }

    /// <summary>HTTP Basic password (security profile 1); none when null.</summary>
    public string? Password { get; init; }

    public int Frames { get; init; } = 10_000;

    public int Seed { get; init; } = 1;

    /// <summary>How long each answer (and each close) may take.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public FuzzLimits Limits { get; init; } = new();

    /// <summary>How many failures the report shows in full.</summary>
    public int ShownFailures { get; init; } = 5;

    /// <summary>
    /// Whether an InternalError answer counts as a failure even where any answer is accepted: the server failed on a
    /// frame (a handler threw), which no charge point should be able to cause.
    /// </summary>
    public bool InternalErrorIsFailure { get; init; } = true;

    /// <summary>Where a progress line goes every 1,000 frames; nowhere when null.</summary>
    public TextWriter? Progress { get; init; }
}

/// <summary>
/// Sends the frames of a <see cref="FrameGenerator"/> to the server over one real WebSocket, one at a time, each
/// followed by a Heartbeat, and checks every answer: the expected reply within the time limit, with the frame's id and
/// an OCPP-J 1.6 error code, as <c>[4,id,code,description,{}]</c> or <c>[3,id,{}]</c>; no reply to an answer that answers
/// nothing; the expected close (then it reconnects and boots again); and the Heartbeat answered after every frame.
/// It never stops at a failure: everything goes into the <see cref="FuzzReport"/>.
/// </summary>
public sealed class FrameFuzzer(FuzzOptions options)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, int> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failuresByCategory = new(StringComparer.Ordinal);
    private readonly List<FuzzFailure> _firstFailures = [];
    private readonly LongHistogram _replyLatency = new(1, 600_000_000, 3);
    private readonly LongHistogram _heartbeatLatency = new(1, 600_000_000, 3);
    private FuzzSocket? _socket;
    private int _failures;
    private int _reconnects;
    private int _serverCalls;
    private int _boots;
    private long _bytesSent;

    public async Task<FuzzReport> RunAsync(CancellationToken cancellationToken)
    {
        var generator = new FrameGenerator(options.Seed, options.Limits);
        long started = Stopwatch.GetTimestamp();
        int sent = 0;
        string? aborted = null;
        try
        {
            _socket = await ConnectAndBootAsync(cancellationToken);
            for (; sent < options.Frames; sent++)
            {
                var fuzzCase = generator.Next();
                _categories[fuzzCase.Category] = _categories.GetValueOrDefault(fuzzCase.Category) + 1;
                await RunCaseAsync(fuzzCase, cancellationToken);
                if ((sent + 1) % 1000 == 0 && options.Progress is { } progress)
                {
                    double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"fuzz: {sent + 1}/{options.Frames} frames, {_failures} failures, {(sent + 1) / seconds:F0} frames/s"));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or InvalidDataException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            aborted = $"after {sent} frames: {ex.Message}";
        }
        finally
        {
            if (_socket is not null)
            {
                await _socket.DisposeAsync();
            }
        }

        return new FuzzReport
        {
            Url = options.Endpoint.ToString(),
            Seed = options.Seed,
            Frames = sent,
            BytesSent = _bytesSent,
            ElapsedSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            Categories = _categories,
            Answers = _answers,
            ReplyLatency = FuzzLatency.From(_replyLatency),
            HeartbeatLatency = FuzzLatency.From(_heartbeatLatency),
            Reconnects = _reconnects,
            ServerCalls = _serverCalls,
            Failures = _failures,
            FailuresByCategory = _failuresByCategory,
            FirstFailures = _firstFailures,
            Aborted = aborted,
        };
    }

    private async Task RunCaseAsync(FuzzCase fuzzCase, CancellationToken cancellationToken)
    {
        var socket = _socket!;
        var check = new CaseCheck(fuzzCase);
        string heartbeatId = $"hb-{fuzzCase.Index}";
        var expected = fuzzCase.Expected;
        long sentAt;
        try
        {
            using var sendLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            sendLimit.CancelAfter(options.ReplyTimeout * 2);
            await socket.SendAsync(fuzzCase.Bytes, fuzzCase.MessageType, fuzzCase.FragmentLengths, sendLimit.Token);
            _bytesSent += fuzzCase.Bytes.Length;
            sentAt = Stopwatch.GetTimestamp();
            if (expected.Outcome != FuzzOutcome.Close)
            {
                await socket.SendTextAsync(HeartbeatFrame(heartbeatId), sendLimit.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (expected.Outcome != FuzzOutcome.Close)
            {
                check.Fail($"sending failed: {ex.Message}");
                await FinishAsync(check, reconnect: true, cancellationToken);
                return;
            }

            sentAt = Stopwatch.GetTimestamp(); // the server may close before taking the last bytes of a frame it refuses
        }

        bool reconnect = false;
        switch (expected.Outcome)
        {
            case FuzzOutcome.Reply:
                var reply = await NextAnswerAsync(socket, check, cancellationToken);
                if (reply is null)
                {
                    check.Fail($"no reply within {options.ReplyTimeout.TotalSeconds:F0} s");
                    reconnect = true;
                    break;
                }

                if (reply.IsClose)
                {
                    check.Fail($"connection closed instead of a reply: {Closing(reply)}");
                    Count($"closed {Closing(reply)}");
                    reconnect = true;
                    break;
                }

                var answer = CheckReply(reply, expected, check);
                _replyLatency.RecordValue(Microseconds(sentAt, reply.Timestamp));
                if (answer is { Type: 3 } && answer.UniqueId == heartbeatId && expected.UniqueId != heartbeatId)
                {
                    check.Fail("the Heartbeat's answer came first: the frame got no reply");
                    _heartbeatLatency.RecordValue(Microseconds(sentAt, reply.Timestamp));
                    break;
                }

                reconnect = !await ExpectHeartbeatAsync(socket, heartbeatId, sentAt, check, cancellationToken);
                break;
            case FuzzOutcome.NoReply:
                Count("no reply");
                reconnect = !await ExpectHeartbeatAsync(socket, heartbeatId, sentAt, check, cancellationToken);
                break;
            default:
                var closing = await NextAnswerAsync(socket, check, cancellationToken);
                while (closing is { IsClose: false })
                {
                    check.Fail("a frame arrived where the connection should close");
                    closing = await NextAnswerAsync(socket, check, cancellationToken);
                }

                if (closing is null)
                {
                    check.Fail($"not closed within {options.ReplyTimeout.TotalSeconds:F0} s");
                }
                else
                {
                    Count($"closed {Closing(closing)}");
                    _replyLatency.RecordValue(Microseconds(sentAt, closing.Timestamp));
                    if (closing.CloseStatus != expected.CloseStatus)
                    {
                        check.Fail($"closed {Closing(closing)}");
                    }
                }

                await FinishAsync(check, reconnect: true, cancellationToken);
                // The Heartbeat goes on the new connection: the server must take the charger back after closing it.
                long again = Stopwatch.GetTimestamp();
                await _socket!.SendTextAsync(HeartbeatFrame(heartbeatId), cancellationToken);
                var recheck = new CaseCheck(fuzzCase);
                bool answered = await ExpectHeartbeatAsync(_socket, heartbeatId, again, recheck, cancellationToken);
                if (recheck.Reasons.Count > 0)
                {
                    Record(recheck);
                }

                if (!answered)
                {
                    await ReconnectAsync(cancellationToken);
                }

                return;
        }

        await FinishAsync(check, reconnect, cancellationToken);
    }

    /// <summary>Reads until the Heartbeat's CALLRESULT; anything else before it is a failure. False when the connection must be renewed.</summary>
    private async Task<bool> ExpectHeartbeatAsync(FuzzSocket socket, string heartbeatId, long sentAt, CaseCheck check, CancellationToken cancellationToken)
    {
        while (true)
        {
            var inbound = await NextAnswerAsync(socket, check, cancellationToken);
            if (inbound is null)
            {
                check.Fail($"the Heartbeat after the frame was not answered within {options.ReplyTimeout.TotalSeconds:F0} s");
                return false;
            }

            if (inbound.IsClose)
            {
                check.Fail($"connection closed before the Heartbeat was answered: {Closing(inbound)}");
                Count($"closed {Closing(inbound)}");
                return false;
            }

            var answer = Answer.Read(inbound);
            if (answer is { Type: 3, UniqueId: var id } && id == heartbeatId)
            {
                _heartbeatLatency.RecordValue(Microseconds(sentAt, inbound.Timestamp));
                return true;
            }

            check.Fail(answer is { Type: 4 } && answer.UniqueId == heartbeatId
                ? $"the Heartbeat was answered {answer.Code}"
                : "a frame arrived where only the Heartbeat's answer was due");
            check.Received.Add(FuzzText.Printable(inbound.Data, 600));
        }
    }

    /// <summary>The next answer or close, answering (NotSupported) and skipping the server's own CALLs; null on timeout.</summary>
    private async Task<Inbound?> NextAnswerAsync(FuzzSocket socket, CaseCheck check, CancellationToken cancellationToken)
    {
        while (true)
        {
            var inbound = await socket.ReceiveAsync(options.ReplyTimeout, cancellationToken);
            if (inbound is null || inbound.IsClose)
            {
                return inbound;
            }

            if (ServerCallId(inbound) is { } callId)
            {
                _serverCalls++;
                try
                {
                    await socket.SendTextAsync($"[4,{callId},\"NotSupported\",\"The fuzzer answers no call\",{{}}]", cancellationToken);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
                {
                    // The server may close the connection (1007 for the frame under test, say) while its own CALL is
                    // being answered. The send fails then, and that is no fault of the server's: the close, or the
                    // connection ending without one, comes next and is what the case checks.
                    Count("server CALL not answered: the connection was closing");
                }

                continue;
            }

            return inbound;
        }
    }

    /// <summary>Checks a reply against the expectation; returns it as read (null when it is no CALLRESULT/CALLERROR at all).</summary>
    private Answer? CheckReply(Inbound reply, FuzzExpectation expected, CaseCheck check)
    {
        var answer = Answer.Read(reply);
        if (answer is null || answer.Problem is not null)
        {
            check.Fail($"the reply is not [3,id,{{payload}}] or [4,id,code,description,{{details}}]: {answer?.Problem ?? "not a JSON array"}");
            check.Received.Add(FuzzText.Printable(reply.Data, 600));
            Count("malformed reply");
            return answer;
        }

        string shown = answer.Type == 3 ? FuzzExpectation.CallResult : answer.Code!;
        Count(FuzzExpectation.ErrorCodes.Contains(shown) || shown == FuzzExpectation.CallResult ? shown : $"not a 1.6 code: {shown}");
        if (answer.Type == 4 && !FuzzExpectation.ErrorCodes.Contains(answer.Code!))
        {
            check.Fail($"{FuzzText.Shown(answer.Code!)} is not an OCPP-J 1.6 error code");
        }

        if (answer.UniqueId != expected.UniqueId)
        {
            check.Fail($"reply carries id {FuzzText.Shown(answer.UniqueId)}, expected {FuzzText.Shown(expected.UniqueId!)}");
        }

        if (!expected.Accepts(shown))
        {
            check.Fail($"answered {shown}, expected {string.Join(" or ", expected.Answers!.Order(StringComparer.Ordinal))}");
        }
        else if (shown == "InternalError" && options.InternalErrorIsFailure && expected.Answers is null)
        {
            check.Fail("answered InternalError: the server failed on this frame");
        }

        if (check.Reasons.Count > 0)
        {
            check.Received.Add(FuzzText.Printable(reply.Data, 600));
        }

        return answer;
    }

    private async Task FinishAsync(CaseCheck check, bool reconnect, CancellationToken cancellationToken)
    {
        if (check.Reasons.Count > 0)
        {
            Record(check);
        }

        if (reconnect)
        {
            await ReconnectAsync(cancellationToken);
        }
    }

    private void Record(CaseCheck check)
    {
        _failures++;
        _failuresByCategory[check.Case.Category] = _failuresByCategory.GetValueOrDefault(check.Case.Category) + 1;
        if (_firstFailures.Count < options.ShownFailures)
        {
            _firstFailures.Add(new FuzzFailure(check.Case, check.Reasons, check.Received));
        }
    }

    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        _reconnects++;
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
            _socket = null;
        }

        _socket = await ConnectAndBootAsync(cancellationToken);
    }

    private async Task<FuzzSocket> ConnectAndBootAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(options.Endpoint.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(options.ChargePointId));
        var socket = await FuzzSocket.ConnectAsync(uri, options.ChargePointId, options.Password, ConnectTimeout, cancellationToken);
        try
        {
            string bootId = $"boot-{++_boots}";
            await socket.SendTextAsync($"[2,\"{bootId}\",\"BootNotification\",{{\"chargePointVendor\":\"OcppAuth\",\"chargePointModel\":\"FrameFuzzer\"}}]", cancellationToken);
            var check = new CaseCheck(null!);
            while (true)
            {
                var inbound = await NextAnswerAsync(socket, check, cancellationToken)
                    ?? throw new InvalidDataException($"BootNotification not answered within {options.ReplyTimeout.TotalSeconds:F0} s");
                if (inbound.IsClose)
                {
                    throw new InvalidDataException($"The connection closed before the BootNotification was answered: {Closing(inbound)}");
                }

                if (Answer.Read(inbound) is { UniqueId: var id } answer && id == bootId)
                {
                    return answer.Type == 3 && answer.Payload.Contains("\"Accepted\"", StringComparison.Ordinal)
                        ? socket
                        : throw new InvalidDataException($"BootNotification answered {inbound.Text}");
                }
            }
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    private void Count(string answer) => _answers[answer] = _answers.GetValueOrDefault(answer) + 1;

    private static string HeartbeatFrame(string id) => $"[2,\"{id}\",\"Heartbeat\",{{}}]";

    private static long Microseconds(long from, long to) =>
        Math.Max(1, (long)Stopwatch.GetElapsedTime(from, to).TotalMicroseconds);

    private static string Closing(Inbound close) =>
        close.CloseStatus is { } status ? $"{(int)status} {status}{(string.IsNullOrEmpty(close.CloseReason) ? "" : $" \"{close.CloseReason}\"")}" : close.CloseReason ?? "without a close frame";

    /// <summary>The raw JSON of the id of a CALL the server sent, to echo it exactly; null for anything else.</summary>
    private static string? ServerCallId(Inbound inbound)
    {
        try
        {
            using var document = JsonDocument.Parse(inbound.Data);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 4 && root[0].ValueKind == JsonValueKind.Number
                && root[0].TryGetInt32(out int type) && type == 2 && root[1].ValueKind == JsonValueKind.String
                ? Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(root[1]))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The failures found for one case, and the frames that came back when something was wrong.</summary>
    private sealed class CaseCheck(FuzzCase fuzzCase)
    {
        public FuzzCase Case { get; } = fuzzCase;

        public List<string> Reasons { get; } = [];

        public List<string> Received { get; } = [];

        public void Fail(string reason) => Reasons.Add(reason);
    }

    /// <summary>A CALLRESULT or CALLERROR as received; <see cref="Problem"/> says how it breaks the OCPP-J form.</summary>
    private sealed record Answer(int Type, string UniqueId, string? Code, string Payload, string? Problem)
    {
        public static Answer? Read(Inbound inbound)
        {
            if (inbound.Type != WebSocketMessageType.Text)
            {
                return new Answer(0, "", null, "", "a binary message");
            }

            try
            {
                using var document = JsonDocument.Parse(inbound.Data);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 2 || root[0].ValueKind != JsonValueKind.Number
                    || !root[0].TryGetInt32(out int type) || root[1].ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                string id = FuzzText.ReadString(root[1]);
                int length = root.GetArrayLength();
                return type switch
                {
                    3 when length == 3 && root[2].ValueKind == JsonValueKind.Object => new Answer(3, id, null, root[2].GetRawText(), null),
                    4 when length == 5 && root[2].ValueKind == JsonValueKind.String && root[3].ValueKind == JsonValueKind.String
                        && root[4].ValueKind == JsonValueKind.Object => new Answer(4, id, FuzzText.ReadString(root[2]), "", null),
                    _ => new Answer(type, id, null, "", $"MessageTypeId {type} with {length} elements"),
                };
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                return new Answer(0, "", null, "", $"not JSON: {ex.Message}");
            }
        }
    }
}
