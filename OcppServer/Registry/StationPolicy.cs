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

    [JsonIgnore]
    public bool RequiresAnyFactor => RequirePreVerification || RequireBiometric || RequireVin;

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
    };
}
