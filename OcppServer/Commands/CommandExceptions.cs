namespace OcppServer.Commands;

/// <summary>Why a command could not be carried out; the API maps each kind to its HTTP status.</summary>
public enum CommandFailureKind
{
    UnknownAction,
    InvalidPayload,
    ChargePointNotFound,
    NotConnected,
    Timeout,
    CallError,
    InvalidResponse,

    /// <summary>The operator's policy forbids this call to this charge point (e.g. unsigned firmware at security profile 2+).</summary>
    Refused,
}

public sealed class CommandFailedException(CommandFailureKind kind, string message, string? errorCode = null, string? field = null) : Exception(message)
{
    public CommandFailureKind Kind { get; } = kind;

    /// <summary>For <see cref="CommandFailureKind.InvalidPayload"/>: the request's top-level property at fault, if one is.</summary>
    public string? Field { get; } = field;

    /// <summary>The charger's CALLERROR code, for <see cref="CommandFailureKind.CallError"/>.</summary>
    public string? ErrorCode { get; } = errorCode;
}
