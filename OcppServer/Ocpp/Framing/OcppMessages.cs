using System.Text.Json;

namespace OcppServer.Ocpp.Framing;

public enum OcppMessageType
{
    Call = 2,
    CallResult = 3,
    CallError = 4,
}

public abstract record OcppFrame(string UniqueId);

public sealed record OcppCall(string UniqueId, string Action, JsonElement Payload) : OcppFrame(UniqueId);

public sealed record OcppCallResult(string UniqueId, JsonElement Payload) : OcppFrame(UniqueId);

public sealed record OcppCallError(string UniqueId, string ErrorCode, string Description, JsonElement Details) : OcppFrame(UniqueId);

/// <summary>
/// A frame that could not be understood. A CALL, or a frame whose kind is unknown, is answered with a CALLERROR carrying
/// <see cref="UniqueId"/>; a malformed CALLRESULT/CALLERROR (<see cref="IsAnswer"/>) fails the call it answers instead.
/// </summary>
public sealed record OcppMalformedFrame(string UniqueId, string ErrorCode, string Description, int? MessageTypeId = null) : OcppFrame(UniqueId)
{
    public bool IsAnswer => MessageTypeId is (int)OcppMessageType.CallResult or (int)OcppMessageType.CallError;
}
