using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.Stations;

/// <summary>
/// A station policy as the form sends it: every field is optional, and a field left at "default" takes the configured
/// default (Authorization:DefaultPolicy), exactly as the API's <see cref="StationPolicyOverrides"/>.
/// </summary>
public sealed class PolicyInput
{
    public bool? RequirePreVerification { get; set; }

    public bool? RequireBiometric { get; set; }

    public bool? RequireVin { get; set; }

    public int? PreVerificationWindowMinutes { get; set; }

    public int? EvidenceWindowMinutes { get; set; }

    public double? BiometricThreshold { get; set; }

    public double? MinLiveness { get; set; }

    public bool? AutoStart { get; set; }

    public CameraOutageBehaviour? CameraOutage { get; set; }

    public UntrustedChargePointBehaviour? UntrustedChargePoint { get; set; }

    /// <summary>The configured defaults, shown next to each field (not bound).</summary>
    public StationPolicy Defaults { get; set; } = new();

    public StationPolicyOverrides ToOverrides() => new()
    {
        RequirePreVerification = RequirePreVerification, RequireBiometric = RequireBiometric, RequireVin = RequireVin,
        PreVerificationWindowMinutes = PreVerificationWindowMinutes, EvidenceWindowMinutes = EvidenceWindowMinutes,
        BiometricThreshold = BiometricThreshold, MinLiveness = MinLiveness, AutoStart = AutoStart, CameraOutage = CameraOutage,
        UntrustedChargePoint = UntrustedChargePoint,
    };

    public static PolicyInput From(StationPolicyOverrides? o, StationPolicy defaults) => new()
    {
        RequirePreVerification = o?.RequirePreVerification, RequireBiometric = o?.RequireBiometric, RequireVin = o?.RequireVin,
        PreVerificationWindowMinutes = o?.PreVerificationWindowMinutes, EvidenceWindowMinutes = o?.EvidenceWindowMinutes,
        BiometricThreshold = o?.BiometricThreshold, MinLiveness = o?.MinLiveness, AutoStart = o?.AutoStart, CameraOutage = o?.CameraOutage,
        UntrustedChargePoint = o?.UntrustedChargePoint, Defaults = defaults,
    };

    /// <summary>What each factor guards against, for the page (the API's own risks say what a weak policy lets through).</summary>
    public static IReadOnlyList<(string Name, bool Required, string WhenOn, string WhenOff)> Factors(StationPolicy p) =>
    [
        ("Pre-verification at the entrance", p.RequirePreVerification,
            $"The car's plate must have been read (by a camera or an attendant) and matched to a registered vehicle within {p.PreVerificationWindowMinutes} minutes.",
            "Anyone can drive in and start: a car that never passed the entrance, or one with a cloned plate, is not caught."),
        ("Face of the driver", p.RequireBiometric,
            $"The charge point's reader must match the driver's enrolled face (similarity at least {p.BiometricThreshold:0.00}, liveness at least {p.MinLiveness:0.00}).",
            "Without the biometric factor anyone holding the driver's id tag can charge as this driver."),
        ("VIN of the car at the connector", p.RequireVin,
            $"The car must report a VIN that is registered and matches the pre-verified car (within {p.EvidenceWindowMinutes} minutes).",
            "Without the VIN factor the car at the connector is not compared with the one that passed the entrance: another car can be charged."),
    ];
}
