using System.Net.WebSockets;
using System.Text;

namespace ChargePointSimulator.Fuzz;

/// <summary>Text between two elements of a frame (or after '[' / before ']'), and whether JSON allows it there.</summary>
internal readonly record struct FuzzSeparator(string Text, bool IsValid);

/// <summary>
/// A frame under construction: the elements of its array (or, for a frame that is no array, its whole text), the text
/// around and between them, and what was done to its payload. <see cref="Render"/> writes it and records where the
/// first two elements lie, which is what decides the id a CALLERROR must carry.
/// </summary>
internal sealed class FuzzFrame
{
    private readonly Dictionary<int, FuzzSeparator> _separators = [];

    public List<FuzzNode> Elements { get; } = [];

    /// <summary>The whole frame when it is not a JSON array (an object, a scalar, text that is not JSON, nothing).</summary>
    public string? NonArrayText { get; set; }

    public string Leading { get; set; } = "";

    public bool LeadingIsValid { get; set; } = true;

    public string Trailing { get; set; } = "";

    public bool TrailingIsValid { get; set; } = true;

    /// <summary>Whether a mutation touched the payload (so that a schema violation, or none, may follow).</summary>
    public bool PayloadMutated { get; set; }

    public static FuzzFrame Call(FuzzNode typeId, FuzzNode uniqueId, FuzzNode action, FuzzNode payload)
    {
        var frame = new FuzzFrame();
        frame.Elements.AddRange([typeId, uniqueId, action, payload]);
        return frame;
    }

    /// <summary>The separator before element <paramref name="index"/>; index <see cref="Elements"/>.Count is the one before ']'.</summary>
    public FuzzSeparator Separator(int index) =>
        _separators.TryGetValue(index, out var separator) ? separator : new FuzzSeparator(index > 0 && index < Elements.Count ? "," : "", true);

    public void SetSeparator(int index, string text, bool isValid) => _separators[index] = new FuzzSeparator(text, isValid);

    public bool HasCustomSeparator(int index) => _separators.ContainsKey(index);

    /// <summary>Drops custom separators (after elements were added or removed, indices no longer match).</summary>
    public void ResetSeparators() => _separators.Clear();

    public FuzzObject? Payload => Elements.Count > 3 ? Elements[3] as FuzzObject : null;

    public RenderedFrame Render()
    {
        var text = new StringBuilder(256);
        if (NonArrayText is not null)
        {
            text.Append(NonArrayText);
            return new RenderedFrame(text.ToString(), -1, -1, -1, -1, text.Length);
        }

        text.Append(Leading).Append('[');
        int el0Start = -1, el0End = -1, el1Start = -1, el1End = -1;
        for (int i = 0; i < Elements.Count; i++)
        {
            text.Append(Separator(i).Text);
            int start = text.Length;
            Elements[i].WriteTo(text);
            if (i == 0)
            {
                (el0Start, el0End) = (start, text.Length);
            }
            else if (i == 1)
            {
                (el1Start, el1End) = (start, text.Length);
            }
        }

        text.Append(Separator(Elements.Count).Text);
        int arrayEnd = text.Length;
        text.Append(']').Append(Trailing);
        return new RenderedFrame(text.ToString(), el0Start, el0End, el1Start, el1End, arrayEnd);
    }

    /// <summary>Whether the whole text is valid JSON, nesting aside.</summary>
    public bool IsValidJson =>
        NonArrayText is null && LeadingIsValid && TrailingIsValid
        && Elements.All(e => e.IsValidJson)
        && Enumerable.Range(0, Elements.Count + 1).All(i => Separator(i).IsValid);

    /// <summary>Containers nested in the frame, its own array included.</summary>
    public int Depth => 1 + (Elements.Count == 0 ? 0 : Elements.Max(e => e.Depth));
}

/// <summary>A rendered frame; element offsets are char indices into <see cref="Text"/>, -1 when there is no such element.</summary>
internal sealed record RenderedFrame(string Text, int El0Start, int El0End, int El1Start, int El1End, int ArrayEnd);

/// <summary>
/// The facts about a finished frame that decide the server's answer: the model it was built from and what happened
/// to its text afterwards (truncation, invalid UTF-8, size, binary message). Offsets are byte offsets into the frame, -1
/// where there is no such element.
/// </summary>
internal sealed record FrameFacts(
    FuzzFrame Frame,
    int Bytes,
    int El0StartByte,
    int El0EndByte,
    int El1EndByte,
    bool Truncated,
    bool InvalidUtf8,
    WebSocketMessageType MessageType);

/// <summary>
/// Works out the expected outcome of a frame from how it was built — following OCPP-J 1.6 and the server's documented
/// limits, without parsing the frame:
/// <list type="bullet">
/// <item>A text message that is not valid UTF-8 is closed by the WebSocket layer with 1007 (RFC 6455 §8.1); one beyond
/// the discard limit is closed with 1009.</item>
/// <item>A frame whose first element reads as the integer 3 or 4 (CALLRESULT, CALLERROR) answers nothing: no reply.</item>
/// <item>Any other frame gets one reply carrying its second element when that is a JSON string that can be read (the
/// text up to its closing quote is intact and valid, within the size limit); otherwise "-1". A number that ends the text
/// (a frame cut right after it) is not read: it may have been cut too.</item>
/// <item>A frame that cannot be parsed whole (invalid JSON, nested deeper than <see cref="FrameGenerator.ParserMaxDepth"/>,
/// truncated, oversized, binary) is a FormationViolation; a whole one is checked element by element.</item>
/// </list>
/// </summary>
internal static class FuzzOracle
{
    private const string FormationViolation = "FormationViolation";
    private const string ProtocolError = "ProtocolError";

    public static FuzzExpectation Expect(FrameFacts facts, FuzzLimits limits)
    {
        if (facts.MessageType == WebSocketMessageType.Text && facts.InvalidUtf8)
        {
            return FuzzExpectation.Closed(WebSocketCloseStatus.InvalidPayloadData);
        }

        if (facts.Bytes > limits.MaxDiscardedFrameBytes)
        {
            return FuzzExpectation.Closed(WebSocketCloseStatus.MessageTooBig);
        }

        var frame = facts.Frame;
        if (frame.NonArrayText is not null)
        {
            return FuzzExpectation.Reply("-1", FormationViolation);
        }

        bool oversized = facts.Bytes > limits.MaxFrameBytes;
        bool whole = facts.MessageType == WebSocketMessageType.Text && !oversized && !facts.Truncated
            && frame.IsValidJson && frame.Depth <= FrameGenerator.ParserMaxDepth;
        if (whole)
        {
            return ExpectWhole(frame);
        }

        var (typeId, uniqueId) = Head(facts, visibleBytes: oversized ? limits.MaxFrameBytes : facts.Bytes, final: !oversized);
        return typeId is 3 or 4 ? FuzzExpectation.NoReply : FuzzExpectation.Reply(uniqueId ?? "-1", FormationViolation);
    }

    /// <summary>The MessageTypeId and UniqueId readable from the first <paramref name="visibleBytes"/> bytes of a frame.</summary>
    private static (int? TypeId, string? UniqueId) Head(FrameFacts facts, int visibleBytes, bool final)
    {
        var frame = facts.Frame;
        if (!frame.LeadingIsValid || frame.Elements.Count == 0 || !frame.Separator(0).IsValid || facts.El0StartByte < 0
            || visibleBytes <= facts.El0StartByte)
        {
            return (null, null);
        }

        var first = frame.Elements[0];
        if (visibleBytes <= facts.El0EndByte)
        {
            // The text ends inside or right after the first element: even a number there may have been cut ("[3" of "[30,").
            return (null, null);
        }

        if (!first.IsValidJson || first.Depth + 1 >= FrameGenerator.HeadMaxDepth)
        {
            return (null, null);
        }

        int? typeId = (first as FuzzValue)?.Int32Value;
        if (frame.Elements.Count < 2 || !frame.Separator(1).IsValid || frame.Elements[1] is not FuzzValue { Kind: FuzzKind.String } id
            || facts.El1EndByte < 0 || visibleBytes < facts.El1EndByte)
        {
            return (typeId, null);
        }

        return (typeId, id.StringValue);
    }

    /// <summary>A frame that parses as JSON: checked as OCPP-J 1.6 prescribes, the structure before the action and payload.</summary>
    private static FuzzExpectation ExpectWhole(FuzzFrame frame)
    {
        var elements = frame.Elements;
        string? uniqueId = elements.Count > 1 && elements[1] is FuzzValue { Kind: FuzzKind.String } id ? id.StringValue : null;
        int? typeId = elements.Count > 0 ? (elements[0] as FuzzValue)?.Int32Value : null;
        if (typeId is null)
        {
            return FuzzExpectation.Reply(uniqueId ?? "-1", FormationViolation);
        }

        if (typeId is 3 or 4)
        {
            return FuzzExpectation.NoReply;
        }

        if (uniqueId is null)
        {
            return FuzzExpectation.Reply("-1", FormationViolation);
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        if (uniqueId.Length is 0 or > FrameGenerator.MaxUniqueIdLength || FuzzText.IndexOfLoneSurrogate(uniqueId) >= 0 || typeId != 2)
        {
            codes.Add(FormationViolation);
        }

        string? action = elements.Count > 2 && elements[2] is FuzzValue { Kind: FuzzKind.String } a ? a.StringValue : null;
        if (string.IsNullOrEmpty(action))
        {
            codes.Add(FormationViolation);
        }
        else if (elements.Count == 3)
        {
            codes.Add(ProtocolError); // OCPP-J: "Payload for Action is incomplete"
        }

        if (elements.Count > 4 || (elements.Count == 4 && elements[3].Kind != FuzzKind.Object))
        {
            codes.Add(FormationViolation);
        }

        if (codes.Count > 0)
        {
            return FuzzExpectation.Reply(uniqueId, codes);
        }

        if (!ValidPayloads.Actions.Contains(action!, StringComparer.Ordinal))
        {
            return FuzzExpectation.Reply(uniqueId, ValidPayloads.CentralSystemActions.Contains(action!, StringComparer.Ordinal) ? "NotSupported" : "NotImplemented");
        }

        // A lone surrogate is refused before any schema keyword: in a value PropertyConstraintViolation, in a name
        // FormationViolation; so is a property named twice in an object (FormationViolation), whichever comes first.
        foreach (var node in elements[3].Descendants())
        {
            if (node is FuzzObject payloadObject)
            {
                if (payloadObject.Properties.Any(p => p.Name.HasLoneSurrogate)
                    || payloadObject.Properties.GroupBy(p => p.Name.StringValue, StringComparer.Ordinal).Any(g => g.Count() > 1))
                {
                    codes.Add(FormationViolation);
                }
            }
            else if (node is FuzzValue { HasLoneSurrogate: true })
            {
                codes.Add("PropertyConstraintViolation");
            }
        }

        if (codes.Count > 0)
        {
            return FuzzExpectation.Reply(uniqueId, codes);
        }

        return frame.PayloadMutated ? FuzzExpectation.Reply(uniqueId, (IReadOnlySet<string>?)null) : FuzzExpectation.Reply(uniqueId, FuzzExpectation.CallResult);
    }
}
