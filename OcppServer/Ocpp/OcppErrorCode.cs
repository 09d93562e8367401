namespace OcppServer.Ocpp;

/// <summary>CALLERROR codes of OCPP-J 1.6 §4.2.3 (spelling as in the spec, including "Occurence").</summary>
public static class OcppErrorCode
{
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    public const string InternalError = "InternalError";
    public const string ProtocolError = "ProtocolError";
    public const string SecurityError = "SecurityError";
    public const string FormationViolation = "FormationViolation";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string OccurenceConstraintViolation = "OccurenceConstraintViolation";
    public const string TypeConstraintViolation = "TypeConstraintViolation";
    public const string GenericError = "GenericError";
}

/// <summary>Thrown by handlers to answer a CALL with a specific CALLERROR.</summary>
public sealed class OcppErrorException(string errorCode, string description) : Exception(description)
{
    public string ErrorCode { get; } = errorCode;
}
