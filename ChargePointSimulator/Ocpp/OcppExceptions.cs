namespace ChargePointSimulator.Ocpp;

/// <summary>The central system answered a CALL with a CALLERROR.</summary>
public sealed class OcppCallErrorException(string action, string errorCode, string description)
    : Exception($"{action} answered {errorCode}: {description}")
{
    public string Action { get; } = action;

    public string ErrorCode { get; } = errorCode;

    public string Description { get; } = description;
}

/// <summary>The connection closed (or was never open) before the CALL was answered.</summary>
public sealed class OcppNotConnectedException(string message) : Exception(message);

/// <summary>No answer to a CALL within the timeout.</summary>
public sealed class OcppCallTimeoutException(string action, TimeSpan timeout)
    : Exception($"No answer to {action} within {timeout.TotalSeconds:0.#} s")
{
    public string Action { get; } = action;
}

/// <summary>A handler refuses a server CALL with this OCPP-J error code.</summary>
public sealed class OcppErrorException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}
