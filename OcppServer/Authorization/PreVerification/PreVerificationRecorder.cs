using System.Text.Json;
using OcppServer.Registry;

namespace OcppServer.Authorization.PreVerification;

public static class PreVerificationVerdicts
{
    public const string Passed = "Passed";
    public const string UnknownVehicle = "UnknownVehicle";
    public const string BlockedVehicle = "BlockedVehicle";
    public const string Unreadable = "Unreadable";
    public const string LowConfidence = "LowConfidence";

    /// <summary>The station has recorded these very image bytes before: a replay, whatever the image shows.</summary>
    public const string Replayed = "Replayed";

    /// <summary>The camera's <c>capturedAt</c> is further from server time than the allowed skew.</summary>
    public const string CaptureTimeOutOfRange = "CaptureTimeOutOfRange";
}

/// <summary>What was read at the entrance (by a camera or typed by an attendant), before the registry is consulted.</summary>
public sealed record PlateObservation(
    string StationId,
    string Source,
    string? CameraId,
    string? Plate,
    double Confidence,
    DateTimeOffset CapturedAt,
    IReadOnlyList<string> Reasons,
    string? Verdict = null,
    string? VehicleId = null,
    string? PlateHint = null,
    string? ImageSha256 = null,
    string? ImagePath = null);

/// <summary>
/// Turns an entrance observation into a pre-verification record valid at its station for the policy's window.
/// A read plate is matched to the registry; an observation that already failed (unreadable, low confidence) is
/// recorded as it is.
/// </summary>
public sealed class PreVerificationRecorder(
    IVehicleStore vehicles,
    IPreVerificationStore records,
    StationPolicyProvider policies,
    IStationStore stations,
    TimeProvider time)
{
    public async Task<PreVerificationRecord> RecordAsync(PlateObservation observation, CancellationToken cancellationToken)
    {
        var row = await BuildAsync(observation, cancellationToken);
        return await records.InsertAsync(row, cancellationToken, ifReplayed: AsReplayed);
    }

    /// <summary>The record an observation gives (a new id, the verdict, the window), not stored yet.</summary>
    public async Task<PreVerificationRecord> BuildAsync(PlateObservation observation, CancellationToken cancellationToken)
    {
        var reasons = observation.Reasons.ToList();
        string? verdict = observation.Verdict;
        string? vehicleId = observation.VehicleId;
        if (verdict is null)
        {
            var vehicle = observation.Plate is null ? null
                : vehicleId is not null ? await vehicles.GetAsync(vehicleId, cancellationToken)
                : await vehicles.GetByPlateAsync(PlateText.Normalize(observation.Plate), cancellationToken);
            (verdict, vehicleId) = vehicle switch
            {
                null => (PreVerificationVerdicts.UnknownVehicle, null),
                { Blocked: true } => (PreVerificationVerdicts.BlockedVehicle, vehicle.Id),
                _ => (PreVerificationVerdicts.Passed, vehicle.Id),
            };
            reasons.Add(verdict == PreVerificationVerdicts.Passed ? "RegisteredVehicle" : verdict);
        }

        var station = await stations.GetAsync(observation.StationId, cancellationToken);
        var policy = policies.Resolve(station?.Policy);
        var now = time.GetUtcNow();
        return new PreVerificationRecord
        {
            Id = "pv_" + Guid.NewGuid().ToString("N"),
            StationId = observation.StationId,
            CameraId = observation.CameraId,
            Source = observation.Source,
            Plate = observation.Plate is null ? null : PlateText.Normalize(observation.Plate),
            Verdict = verdict,
            Confidence = observation.Confidence,
            VehicleId = vehicleId,
            Reasons = JsonSerializer.Serialize(reasons),
            PlateHint = observation.PlateHint,
            ImageSha256 = observation.ImageSha256,
            ImagePath = observation.ImagePath,
            CapturedAt = observation.CapturedAt,
            CreatedAt = now,
            // The window starts when the car was seen, not when the record arrived.
            ExpiresAt = Earlier(observation.CapturedAt, now).AddMinutes(policy.PreVerificationWindowMinutes),
        };
    }

    /// <summary>The record as a replay: its image bytes were recorded at the station before, whatever they show.</summary>
    public static PreVerificationRecord AsReplayed(PreVerificationRecord record)
    {
        var reasons = JsonSerializer.Deserialize<List<string>>(record.Reasons) ?? [];
        if (!reasons.Contains(ReplayedReason))
        {
            reasons.Add(ReplayedReason);
        }

        return record with { Verdict = PreVerificationVerdicts.Replayed, Reasons = JsonSerializer.Serialize(reasons) };
    }

    public const string ReplayedReason = "image_replayed";

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
