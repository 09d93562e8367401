using System.Globalization;
using System.Net.WebSockets;

namespace ChargePointSimulator.Fuzz;

public enum FuzzOutcome
{
    /// <summary>Exactly one CALLRESULT or CALLERROR, carrying <see cref="FuzzExpectation.UniqueId"/>.</summary>
    Reply,

    /// <summary>No frame at all: a CALLRESULT or CALLERROR (well-formed or not) that answers nothing is ignored.</summary>
    NoReply,

    /// <summary>The server closes the WebSocket with <see cref="FuzzExpectation.CloseStatus"/>.</summary>
    Close,
}

/// <summary>
/// What the server must do with a fuzzed frame, worked out from how the frame was built. For a reply,
/// <see cref="Answers"/> lists what is accepted: <see cref="CallResult"/> and/or CALLERROR codes; null accepts a
/// CALLRESULT or any OCPP-J 1.6 error code (a mutation may leave a payload valid, or break it in more than one way).
/// </summary>
public sealed record FuzzExpectation(FuzzOutcome Outcome, string? UniqueId, IReadOnlySet<string>? Answers, WebSocketCloseStatus? CloseStatus)
{
    /// <summary>Stands for a CALLRESULT in <see cref="Answers"/>.</summary>
    public const string CallResult = "CALLRESULT";

    /// <summary>The CALLERROR codes of OCPP-J 1.6 §4.2.3, spelled as the specification spells them.</summary>
    public static readonly IReadOnlySet<string> ErrorCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "NotImplemented", "NotSupported", "InternalError", "ProtocolError", "SecurityError", "FormationViolation",
        "PropertyConstraintViolation", "OccurenceConstraintViolation", "TypeConstraintViolation", "GenericError",
    };

    public static FuzzExpectation Reply(string uniqueId, params string[] answers) =>
        new(FuzzOutcome.Reply, uniqueId, answers.Length == 0 ? null : new HashSet<string>(answers, StringComparer.Ordinal), null);

    public static FuzzExpectation Reply(string uniqueId, IReadOnlySet<string>? answers) => new(FuzzOutcome.Reply, uniqueId, answers, null);

    public static FuzzExpectation NoReply { get; } = new(FuzzOutcome.NoReply, null, null, null);

    public static FuzzExpectation Closed(WebSocketCloseStatus status) => new(FuzzOutcome.Close, null, null, status);

    /// <summary>Whether <paramref name="answer"/> (a CALLERROR code or <see cref="CallResult"/>) is acceptable.</summary>
    public bool Accepts(string answer) =>
        Answers?.Contains(answer) ?? (answer == CallResult || ErrorCodes.Contains(answer));

    public override string ToString() => Outcome switch
    {
        FuzzOutcome.Reply => $"reply {FuzzText.Shown(UniqueId!)} with {(Answers is null ? "any answer" : string.Join(" or ", Answers.Order(StringComparer.Ordinal)))}",
        FuzzOutcome.NoReply => "no reply",
        _ => $"close {(int)CloseStatus!.Value} ({CloseStatus})",
    };
}

/// <summary>
/// One generated frame: its bytes, how it goes over the WebSocket (text or binary, in one or several fragments), what
/// was done to it and what the server must answer.
/// </summary>
public sealed record FuzzCase(
    int Index,
    string Category,
    IReadOnlyList<string> Mutations,
    byte[] Bytes,
    WebSocketMessageType MessageType,
    IReadOnlyList<int> FragmentLengths,
    FuzzExpectation Expected)
{
    public string Describe()
    {
        string fragments = FragmentLengths.Count > 1 ? $" in {FragmentLengths.Count} fragments ({string.Join("+", FragmentLengths)})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"#{Index} {Category} [{string.Join("; ", Mutations)}] {(MessageType == WebSocketMessageType.Binary ? "binary" : "text")}, {Bytes.Length} bytes{fragments}");
    }
}

/// <summary>The server's frame limits the generator aims at (Ocpp:MaxFrameBytes, Ocpp:MaxDiscardedFrameBytes).</summary>
public sealed record FuzzLimits
{
    public int MaxFrameBytes { get; init; } = 65536;

    public int MaxDiscardedFrameBytes { get; init; } = 1 << 20;

    /// <summary>Whether to send, now and then, a frame beyond <see cref="MaxDiscardedFrameBytes"/> (the server closes with 1009).</summary>
    public bool BeyondDiscardLimit { get; init; } = true;
}
