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

/// <summary>A frame that could not be understood; answered with a CALLERROR carrying <see cref="UniqueId"/>.</summary>
public sealed record OcppMalformedFrame(string UniqueId, string ErrorCode, string Description) : OcppFrame(UniqueId);
