using OcppServer.Authorization.Decisions;

namespace OcppServer.Authorization.Gate;

public static class Factors
{
    public const string IdTag = "idTag";
    public const string Vin = "vin";
    public const string PreVerification = "preVerification";
    public const string Biometric = "biometric";

    /// <summary>The policy itself: a charge point without one (no station, not IdTagOnly) is refused.</summary>
    public const string Policy = "policy";

    /// <summary>The charger itself: its offline bypass paths must be known to be closed (station policy untrustedChargePoint).</summary>
    public const string ChargePoint = "chargePoint";

    /// <summary>Authorize names no connector: the evidence must single one out.</summary>
    public const string Connector = "connector";
}

/// <summary>One factor of a decision: whether it was required and passed, why, and which evidence it looked at.</summary>
public sealed record FactorResult(string Factor, bool Required, bool Ok, DecisionReason Reason, string? EvidenceId = null, double? Score = null)
{
    public static FactorResult NotRequired(string factor) => new(factor, false, true, DecisionReason.NotRequired);
}
