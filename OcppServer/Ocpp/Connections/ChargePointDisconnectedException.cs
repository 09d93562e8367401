namespace OcppServer.Ocpp.Connections;

/// <summary>The charge point's socket went away (or was replaced) before the call completed.</summary>
public sealed class ChargePointDisconnectedException(string chargePointId)
    : Exception($"Charge point {chargePointId} is not connected");

/// <summary>The charge point did not answer a call in time.</summary>
public sealed class OcppCallTimeoutException(string chargePointId, string action, TimeSpan timeout)
    : Exception($"Charge point {chargePointId} did not answer {action} within {timeout.TotalSeconds:0} s");

/// <summary>The charge point answered a call with a CALLERROR.</summary>
public sealed class OcppCallErrorException(string errorCode, string description)
    : Exception($"{errorCode}: {description}")
{
    public string ErrorCode { get; } = errorCode;

    public string Description { get; } = description;
}

/// <summary>The charge point answered a call with a frame that is not a well-formed CALLRESULT/CALLERROR.</summary>
public sealed class OcppMalformedAnswerException(string chargePointId, string action, string description)
    : Exception($"Charge point {chargePointId} answered {action} with a malformed frame: {description}")
{
    public string Description { get; } = description;
}
