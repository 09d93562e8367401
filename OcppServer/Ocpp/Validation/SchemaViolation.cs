namespace OcppServer.Ocpp.Validation;

/// <summary>Why a payload does not conform to its schema, expressed as the OCPP-J error code to answer with.</summary>
public sealed record SchemaViolation(string ErrorCode, string Description);
