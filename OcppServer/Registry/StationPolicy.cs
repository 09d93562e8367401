using System.Text.Json.Serialization;

namespace OcppServer.Registry;

[JsonConverter(typeof(JsonStringEnumConverter<CameraOutageBehaviour>))]
public enum CameraOutageBehaviour
{
    /// <summary>No camera has reported for too long: refuse, because pre-verification cannot be trusted.</summary>
    Deny,

    /// <summary>No camera has reported for too long: decide without pre-verification, and say so in the decision.</summary>
    SkipPreVerification,
}

[JsonConverter(typeof(JsonStringEnumConverter<UntrustedChargePointBehaviour>))]
public enum UntrustedChargePointBehaviour
{
    /// <summary>A charger whose offline bypass is not known to be closed (it refused the hardening, or has not answered it) is refused.</summary>
    Deny,

    /// <summary>Such a charger is decided like any other; its decisions may be bypassed off line.</summary>
    Allow,
}

/// <summary>What a station requires before charging starts. Defaults come from configuration (Authorization:DefaultPolicy).</summary>
public sealed record StationPolicy
{
    public bool RequirePreVerification { get; init; } = true;
    public bool RequireBiometric { get; init; } = true;
    public bool RequireVin { get; init; } = true;
    public int PreVerificationWindowMinutes { get; init; } = 30;
    public int EvidenceWindowMinutes { get; init; } = 10;
    public double BiometricThreshold { get; init; } = 0.80;
    public double MinLiveness { get; init; } = 0.70;
    public bool AutoStart { get; init; } = true;
    public CameraOutageBehaviour CameraOutage { get; init; } = CameraOutageBehaviour.Deny;
    public UntrustedChargePointBehaviour UntrustedChargePoint { get; init; } = UntrustedChargePointBehaviour.Deny;

    [JsonIgnore]
    public bool RequiresAnyFactor => RequirePreVerification || RequireBiometric || RequireVin;

    /// <summary>What this policy lets through that the full policy would not, spelt out for the operator.</summary>
    public IReadOnlyList<(string Code, string Description)> Risks()
    {
        var risks = new List<(string, string)>();
        if (!RequirePreVerification)
        {
            risks.Add(("noPreVerification", "No entrance check: a car that never passed the camera (or a cloned plate) is not caught."));
        }
        else if (CameraOutage == CameraOutageBehaviour.SkipPreVerification)
        {
            risks.Add(("skipPreVerificationOnCameraOutage",
                "While the cameras are silent, pre-verification is skipped: unplugging a camera turns the entrance check off. Every decision it affects is recorded as AcceptedCameraOutage."));
        }

        if (UntrustedChargePoint == UntrustedChargePointBehaviour.Allow)
        {
            risks.Add(("untrustedChargePointAllowed",
                "A charger that refused to close its offline paths (local authorization, cache, offline starts for unknown ids) is still Accepted: it can start sessions off line without the gate."));
        }

        if (!RequireBiometric)
        {
            risks.Add(("noBiometric", "No face check: whoever holds the card (and the car) charges as its driver."));
        }

        if (!RequireVin)
        {
            risks.Add(("noVin", "No VIN check: the car at the connector is not compared with the pre-verified one."));
        }

        return risks;
    }

    /// <summary>Checks ranges; returns the first problem or null.</summary>
    public string? Validate() =>
        PreVerificationWindowMinutes is < 1 or > 24 * 60 ? "preVerificationWindowMinutes must be 1 to 1440"
        : EvidenceWindowMinutes is < 1 or > 24 * 60 ? "evidenceWindowMinutes must be 1 to 1440"
        : BiometricThreshold is <= 0 or > 1 ? "biometricThreshold must be in (0, 1]"
        : MinLiveness is < 0 or > 1 ? "minLiveness must be in [0, 1]"
        : null;
}

/// <summary>A partial policy as sent by operators: only the fields given override the defaults.</summary>
public sealed record StationPolicyOverrides
{
    public bool? RequirePreVerification { get; init; }
    public bool? RequireBiometric { get; init; }
    public bool? RequireVin { get; init; }
    public int? PreVerificationWindowMinutes { get; init; }
    public int? EvidenceWindowMinutes { get; init; }
    public double? BiometricThreshold { get; init; }
    public double? MinLiveness { get; init; }
    public bool? AutoStart { get; init; }
    public CameraOutageBehaviour? CameraOutage { get; init; }
    public UntrustedChargePointBehaviour? UntrustedChargePoint { get; init; }

    public StationPolicy ApplyTo(StationPolicy defaults) => new()
    {
        RequirePreVerification = RequirePreVerification ?? defaults.RequirePreVerification,
        RequireBiometric = RequireBiometric ?? defaults.RequireBiometric,
        RequireVin = RequireVin ?? defaults.RequireVin,
        PreVerificationWindowMinutes = PreVerificationWindowMinutes ?? defaults.PreVerificationWindowMinutes,
        EvidenceWindowMinutes = EvidenceWindowMinutes ?? defaults.EvidenceWindowMinutes,
        BiometricThreshold = BiometricThreshold ?? defaults.BiometricThreshold,
        MinLiveness = MinLiveness ?? defaults.MinLiveness,
        AutoStart = AutoStart ?? defaults.AutoStart,
        CameraOutage = CameraOutage ?? defaults.CameraOutage,
        UntrustedChargePoint = UntrustedChargePoint ?? defaults.UntrustedChargePoint,
    };
}
