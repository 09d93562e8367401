using System.Text.Json;

namespace OcppServer.Ocpp.Framing;

/// <summary>Parses OCPP-J frames: CALL [2,id,action,payload], CALLRESULT [3,id,payload], CALLERROR [4,id,code,desc,details].</summary>
public static class OcppFrameParser
{
    /// <summary>Id used in a CALLERROR when the message id of the offending frame cannot be read (OCPP-J 1.6 errata).</summary>
    public const string UnknownId = "-1";

    public const int MaxUniqueIdLength = 36;

    public static OcppFrame Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            return Malformed(UnknownId, OcppErrorCode.FormationViolation, "Frame is not valid JSON");
        }

        // The payload elements are cloned so the document can be returned to the pool immediately.
        using (document)
        {
            return ParseArray(document.RootElement);
        }
    }

    private static OcppFrame ParseArray(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Malformed(UnknownId, OcppErrorCode.FormationViolation, "Frame must be a JSON array");
        }

        int length = root.GetArrayLength();
        string uniqueId = length > 1 && root[1].ValueKind == JsonValueKind.String ? root[1].GetString()! : UnknownId;

        if (length == 0 || root[0].ValueKind != JsonValueKind.Number || !root[0].TryGetInt32(out int typeId))
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "First element must be the integer MessageTypeId");
        }

        if (length < 2 || root[1].ValueKind != JsonValueKind.String)
        {
            return Malformed(UnknownId, OcppErrorCode.FormationViolation, "Second element must be the string UniqueId");
        }

        if (uniqueId.Length is 0 or > MaxUniqueIdLength)
        {
            return Malformed(UnknownId, OcppErrorCode.FormationViolation, $"UniqueId must be 1 to {MaxUniqueIdLength} characters");
        }

        return (OcppMessageType)typeId switch
        {
            OcppMessageType.Call => ParseCall(root, length, uniqueId),
            OcppMessageType.CallResult => ParseCallResult(root, length, uniqueId),
            OcppMessageType.CallError => ParseCallError(root, length, uniqueId),
            _ => Malformed(uniqueId, OcppErrorCode.FormationViolation, $"Unknown MessageTypeId {typeId}"),
        };
    }

    private static OcppFrame ParseCall(JsonElement root, int length, string uniqueId)
    {
        if (length < 3 || root[2].ValueKind != JsonValueKind.String || string.IsNullOrEmpty(root[2].GetString()))
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALL must carry the Action name as third element");
        }

        if (length == 3)
        {
            return Malformed(uniqueId, OcppErrorCode.ProtocolError, "CALL is incomplete: payload missing");
        }

        if (length > 4)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALL must have exactly 4 elements");
        }

        if (root[3].ValueKind != JsonValueKind.Object)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALL payload must be a JSON object");
        }

        return new OcppCall(uniqueId, root[2].GetString()!, root[3].Clone());
    }

    private static OcppFrame ParseCallResult(JsonElement root, int length, string uniqueId)
    {
        if (length != 3 || root[2].ValueKind != JsonValueKind.Object)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALLRESULT must be [3, id, {payload}]");
        }

        return new OcppCallResult(uniqueId, root[2].Clone());
    }

    private static OcppFrame ParseCallError(JsonElement root, int length, string uniqueId)
    {
        if (length != 5 || root[2].ValueKind != JsonValueKind.String || root[3].ValueKind != JsonValueKind.String)
        {
            return Malformed(uniqueId, OcppErrorCode.FormationViolation, "CALLERROR must be [4, id, code, description, {details}]");
        }

        return new OcppCallError(uniqueId, root[2].GetString()!, root[3].GetString()!, root[4].Clone());
    }

    private static OcppMalformedFrame Malformed(string uniqueId, string code, string description) => new(uniqueId, code, description);
}
