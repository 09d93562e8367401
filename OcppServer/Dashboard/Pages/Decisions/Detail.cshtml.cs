using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.Gate;
using OcppServer.Authorization.PreVerification;
using OcppServer.Registry;
using OcppServer.Storage;

namespace OcppServer.Dashboard.Pages.Decisions;

/// <summary>
/// One decision with its factors side by side, each with the evidence it looked at: the entrance camera's
/// pre-verification (and its image, or a burst's frames), the VIN the vehicle reported, and the biometric match (scores only: a template or
/// a token is never shown, nor kept).
/// </summary>
public sealed class DetailModel(
    IDecisionStore decisions,
    IPreVerificationStore preVerifications,
    ICapturePassageStore passages,
    IEvidenceStore evidence,
    IDriverStore drivers,
    IVehicleStore vehicles,
    StationPolicyProvider policies,
    ImageStore images) : DashboardPageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public DecisionView Decision { get; private set; } = null!;

    public FactorView? IdTagFactor { get; private set; }

    public FactorView? VinFactor { get; private set; }

    public FactorView? PreVerificationFactor { get; private set; }

    public FactorView? BiometricFactor { get; private set; }

    /// <summary>Factors other than the four above (the policy, the charger's trust, an ambiguous connector).</summary>
    public IReadOnlyList<FactorView> OtherFactors { get; private set; } = [];

    public PreVerificationRecord? PreVerification { get; private set; }

    /// <summary>Whether the pre-verification's image is still kept (retention purges it).</summary>
    public bool ImageKept { get; private set; }

    /// <summary>The frames of a burst record, in order (none for a single image or an attendant's record).</summary>
    public IReadOnlyList<FrameRow> Frames { get; private set; } = [];

    public VinReportRecord? VinReport { get; private set; }

    /// <summary>The registered vehicle the reported VIN names (now), when the decision names none.</summary>
    public VehicleRecord? VinVehicle { get; private set; }

    public BiometricTokenRecord? Biometric { get; private set; }

    public DriverRecord? Driver { get; private set; }

    public DriverRecord? BiometricDriver { get; private set; }

    public VehicleRecord? Vehicle { get; private set; }

    /// <summary>The charge point's station and its policy as it is now (the decision does not keep the policy it read).</summary>
    public StationContext? Station { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var record = await decisions.GetAsync(Id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        Decision = AuthorizationsApi.ToView(record);
        var byName = Decision.Factors.GroupBy(f => f.Factor).ToDictionary(g => g.Key, g => g.First());
        IdTagFactor = byName.GetValueOrDefault(Factors.IdTag);
        VinFactor = byName.GetValueOrDefault(Factors.Vin);
        PreVerificationFactor = byName.GetValueOrDefault(Factors.PreVerification);
        BiometricFactor = byName.GetValueOrDefault(Factors.Biometric);
        string[] shown = [Factors.IdTag, Factors.Vin, Factors.PreVerification, Factors.Biometric];
        OtherFactors = Decision.Factors.Where(f => !shown.Contains(f.Factor)).ToList();

        if (PreVerificationFactor?.EvidenceId is { Length: > 0 } preVerificationId)
        {
            PreVerification = await preVerifications.GetAsync(preVerificationId, cancellationToken);
            ImageKept = PreVerification?.ImagePath is { } path && images.Resolve(path) is not null;
            if (PreVerification is not null)
            {
                Frames = (await passages.ListFramesAsync(PreVerification.Id, cancellationToken))
                    .Select(f => new FrameRow(f, f.ImagePath is { } framePath && images.Resolve(framePath) is not null))
                    .ToList();
            }
        }

        if (ParseId(VinFactor?.EvidenceId) is { } vinReportId)
        {
            VinReport = await evidence.GetVinReportAsync(vinReportId, cancellationToken);
            if (VinReport is { Valid: true } && Decision.VehicleId is null)
            {
                VinVehicle = await vehicles.GetByVinAsync(VinReport.Vin, cancellationToken);
            }
        }

        if (ParseId(BiometricFactor?.EvidenceId) is { } tokenId)
        {
            Biometric = await evidence.GetBiometricTokenAsync(tokenId, cancellationToken);
            if (Biometric?.MatchedDriverId is { } matched)
            {
                BiometricDriver = matched == Decision.DriverId ? null : await drivers.GetAsync(matched, cancellationToken);
            }
        }

        if (Decision.DriverId is { } driverId)
        {
            Driver = await drivers.GetAsync(driverId, cancellationToken);
        }

        if (Decision.VehicleId is { } vehicleId)
        {
            Vehicle = await vehicles.GetAsync(vehicleId, cancellationToken);
        }

        Station = await policies.GetForChargePointAsync(Decision.ChargePointId, cancellationToken);
        return Page();
    }

    /// <summary>The CSS class of a factor's box: passed, failed, or not required (skipped).</summary>
    public static string FactorClass(FactorView? factor) =>
        factor is null || (!factor.Required && factor.Ok) || factor.Reason == nameof(DecisionReason.SkippedCameraOutage) ? "skip"
        : factor.Ok ? "ok" : "bad";

    /// <summary>A factor's state in words, next to its colour.</summary>
    public static string FactorState(FactorView? factor) =>
        factor is null ? "not evaluated"
        : !factor.Required && factor.Ok ? "not required"
        : factor.Reason == nameof(DecisionReason.SkippedCameraOutage) ? "skipped"
        : factor.Ok ? "passed" : "failed";

    /// <summary>The registry's vehicle list, found by the vehicle's plate.</summary>
    public static string VehicleUrl(string? plate) =>
        string.IsNullOrEmpty(plate) ? "/registry/vehicles" : "/registry/vehicles?plate=" + Uri.EscapeDataString(plate);

    /// <summary>The badge colour of a frame's claim: new bytes, a resend within the passage, or bytes the station saw before.</summary>
    public static string ClaimClass(string claim) => claim switch
    {
        FrameClaims.Claimed => "ok",
        FrameClaims.Replayed => "bad",
        _ => "warn",
    };

    /// <summary>A frame's capture time of day (UTC, to the millisecond): the frames of one passage share the date.</summary>
    public static string ClockTime(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Score(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "—";

    private static long? ParseId(string? id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>One frame of a burst record and whether its image is still kept (retention purges it).</summary>
    public sealed record FrameRow(CaptureFrame Frame, bool ImageKept);
}
