using System.Text.Json;
using System.Text.Unicode;

namespace OcppServer.Ocpp.Framing;

/// <summary>
/// Parses OCPP-J frames: CALL [2,id,action,payload], CALLRESULT [3,id,payload], CALLERROR [4,id,code,desc,details].
/// Never throws: a frame it cannot accept becomes an <see cref="OcppMalformedFrame"/> that carries the frame's own
/// message id whenever its second element is a readable JSON string.
/// </summary>
public static class OcppFrameParser
{
    /// <summary>Id used in a CALLERROR when the message id of the offending frame cannot be read (OCPP-J 1.6 errata).</summary>
    public const string UnknownId = "-1";

    public const int MaxUniqueIdLength = 36;

    /// <summary>Deepest nesting accepted; OCPP 1.6 payloads nest at most five levels inside the frame.</summary>
    public const int MaxDepth = 32;

    // Properties named twice are kept here and refused by the validator (PayloadText), after the action is known.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static OcppFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        // JsonDocument checks UTF-8 only when a string is read; a frame must be UTF-8 text as a whole (RFC 8259 §8.1).
        if (!Utf8.IsValid(utf8.Span))
        {
            return Unreadable(utf8.Span, "Frame is not valid UTF-8 text");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            string where = $"line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}";
            return Unreadable(utf8.Span, ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"Frame nests deeper than {MaxDepth} levels ({where})"
                : $"Frame is not valid JSON ({where})");
        }

        // The payload elements are cloned so the document can be returned to the pool immediately.
        using (document)
        {
            return ParseArray(document.RootElement);
        }
    }

    /// <summary>The answer to a frame that cannot be parsed whole: with its own id when the text up to the id is readable.</summary>
    public static OcppMalformedFrame Unreadable(ReadOnlySpan<byte> utf8, string description, bool complete = true)
    {
        var head = FrameHead.Read(utf8, complete);
        return new OcppMalformedFrame(head.UniqueId ?? UnknownId, OcppErrorCode.FormationViolation, description, head.MessageTypeId);
    }

    private static OcppFrame ParseArray(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Malformed(UnknownId, OcppErrorCode.FormationViolation, "Frame must be a JSON array", null);
        }

        int length = root.GetArrayLength();
        string? uniqueId = length > 1 && root[1].ValueKind == JsonValueKind.String ? JsonText.ReadString(root[1]) : null;

        if (length == 0 || root[0].ValueKind != JsonValueKind.Number || !root[0].TryGetInt32(out int typeId))
        {
            return Malformed(uniqueId ?? UnknownId, OcppErrorCode.FormationViolation, "First element must be the integer MessageTypeId", null);
        }

        if (uniqueId is null)
        {
            return Malformed(UnknownId, OcppErrorCode.FormationViolation, "Second element must be the string UniqueId", typeId);
        }

        // From here on the id is echoed even when it breaks a rule: the charger can still correlate the error.
        if (uniqueId.Length is 0 or > MaxUniqueIdLength)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, $"UniqueId must be 1 to {MaxUniqueIdLength} characters", typeId);
        }

        if (!JsonText.IsWellFormed(uniqueId))
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "UniqueId holds an unpaired UTF-16 surrogate escape", typeId);
        }

        return (OcppMessageType)typeId switch
        {
            OcppMessageType.Call => ParseCall(root, length, uniqueId),
            OcppMessageType.CallResult => ParseCallResult(root, length, uniqueId),
            OcppMessageType.CallError => ParseCallError(root, length, uniqueId),
            _ => Malformed(uniqueId, OcppErrorCode.FormationViolation, $"Unknown MessageTypeId {typeId}", typeId),
        };
    }

    private static OcppFrame ParseCall(JsonElement root, int length, string uniqueId)
    {
        string? action = length >= 3 && root[2].ValueKind == JsonValueKind.String ? JsonText.ReadString(root[2]) : null;
        if (string.IsNullOrEmpty(action))
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALL must carry the Action name as third element", 2);
        }

        if (length == 3)
        {
            return Malformed(uniqueId, OcppErrorCode.ProtocolError, "CALL is incomplete: payload missing", 2);
        }

        if (length > 4)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALL must have exactly 4 elements", 2);
        }

        if (root[3].ValueKind != JsonValueKind.Object)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALL payload must be a JSON object", 2);
        }

        // An action name that is not Unicode text is no action the dispatcher knows: it answers NotImplemented.
        return new OcppCall(uniqueId, action, root[3].Clone());
    }

    private static OcppFrame ParseCallResult(JsonElement root, int length, string uniqueId)
    {
        if (length != 3 || root[2].ValueKind != JsonValueKind.Object)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALLRESULT must be [3, id, {payload}]", 3);
        }

        return new OcppCallResult(uniqueId, root[2].Clone());
    }

    private static OcppFrame ParseCallError(JsonElement root, int length, string uniqueId)
    {
        if (length != 5 || root[2].ValueKind != JsonValueKind.String || root[3].ValueKind != JsonValueKind.String)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALLERROR must be [4, id, code, description, {details}]", 4);
        }

        return new OcppCallError(uniqueId, JsonText.ReadString(root[2]), JsonText.ReadString(root[3]), root[4].Clone());
    }

    private static OcppMalformedFrame Malformed(string uniqueId, string code, string description, int? typeId) =>
        new(uniqueId, code, description, typeId);
}
