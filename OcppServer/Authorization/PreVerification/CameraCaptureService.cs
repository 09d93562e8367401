using Microsoft.Extensions.Options;
using OcppServer.Registry;
using OcppServer.Vision;

namespace OcppServer.Authorization.PreVerification;

/// <summary>An entrance camera's image with what the camera itself says about it.</summary>
public sealed record CameraCapture(CameraRecord Camera, ReadOnlyMemory<byte> Image, DateTimeOffset CapturedAt, string? PlateHint);

/// <summary>Why an image was refused outright (nothing is stored); the API answers with <see cref="StatusCode"/>.</summary>
public sealed class CaptureRejectedException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}

/// <summary>
/// Reads the plate in an entrance image, matches it against the vehicle registry, keeps the image, and records the
/// verdict. Bad input (not an image, truncated, zero-size, huge) is refused without storing anything; a usable image
/// in which nothing can be read is recorded as <c>Unreadable</c>.
/// </summary>
public sealed partial class CameraCaptureService(
    IPlateReader reader,
    StationPlateFormats stationFormats,
    PlateMatcher matcher,
    IVehicleStore vehicles,
    ICameraStore cameras,
    PreVerificationRecorder recorder,
    ICaptureArchive images,
    ICapturePassageStore passages,
    IOptionsMonitor<VisionOptions> vision,
    IOptionsMonitor<AuthorizationOptions> authorization,
    TimeProvider time)
{
    public async Task<PreVerificationRecord> ProcessAsync(CameraCapture capture, CancellationToken cancellationToken)
    {
        var skew = TimeSpan.FromSeconds(authorization.CurrentValue.CaptureClockSkewSeconds);
        if ((capture.CapturedAt - time.GetUtcNow()).Duration() > skew)
        {
            // An old (or future) picture proves nothing about the car at the entrance now: kept for the operator, never Passed.
            return await RecordAsync(capture, null, 0, ["captured_at_out_of_range"], PreVerificationVerdicts.CaptureTimeOutOfRange, null,
                cancellationToken);
        }

        // Decoded against the station's plate formats: its region first, its neighbours next, the generic rule last.
        var formats = await stationFormats.ForStationAsync(capture.Camera.StationId, cancellationToken);
        var reading = await reader.ReadAsync(capture.Image, formats, cancellationToken);
        RejectBadInput(reading);

        var assessment = await AssessAsync(reading, capture.PlateHint, cancellationToken);
        return await RecordAsync(capture, assessment.Plate, assessment.Confidence, assessment.Reasons, assessment.Verdict, assessment.VehicleId,
            cancellationToken);
    }

    /// <summary>What a reading says before the record is made: a verdict when it already failed, or the vehicle it matches.</summary>
    private sealed record Assessment(string? Plate, double Confidence, List<string> Reasons, string? Verdict, string? VehicleId);

    private async Task<Assessment> AssessAsync(PlateReading reading, string? plateHint, CancellationToken cancellationToken)
    {
        var registered = await RegisteredCandidatesAsync(reading.Plate, plateHint, cancellationToken);
        var reasons = reading.Reasons.ToList();
        string? verdict = null;
        string? vehicleId = null;
        if (reading.Outcome != PlateReadOutcome.Read || reading.Plate is null)
        {
            verdict = PreVerificationVerdicts.Unreadable;
        }
        else if (reading.Confidence < vision.CurrentValue.MinConfidence)
        {
            verdict = PreVerificationVerdicts.LowConfidence;
            reasons.Add("below_confidence_threshold");
        }
        else if (plateHint is { Length: > 0 } hint && !matcher.HintAgrees(reading.Plate, hint, registered))
        {
            verdict = PreVerificationVerdicts.LowConfidence;
            reasons.Add("camera_hint_disagrees");
        }
        else
        {
            var match = matcher.Match(reading.Plate, registered);
            reasons.Add("registry_" + match.Kind.ToString().ToLowerInvariant());
            if (match.IsMatch)
            {
                vehicleId = (await vehicles.GetByPlateAsync(match.Plate!, cancellationToken))?.Id;
            }
            else
            {
                verdict = PreVerificationVerdicts.UnknownVehicle;
            }
        }

        return new Assessment(reading.Plate, reading.Confidence, reasons, verdict, vehicleId);
    }

    private async Task<PreVerificationRecord> RecordAsync(
        CameraCapture capture, string? plate, double confidence, IReadOnlyList<string> reasons, string? verdict, string? vehicleId,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        string sha256 = ICaptureArchive.Sha256Hex(capture.Image.Span);
        string path = await images.SaveAsync(capture.Image, sha256, IsPng(capture.Image.Span) ? "png" : "jpg", now, cancellationToken);
        await cameras.RecordCaptureAsync(capture.Camera.Id, now, cancellationToken);
        return await recorder.RecordAsync(new PlateObservation(
            capture.Camera.StationId, "Camera", capture.Camera.Id, plate, confidence, capture.CapturedAt, reasons,
            verdict, vehicleId, capture.PlateHint, sha256, path), cancellationToken);
    }

    /// <summary>The registered plates the reading (or the camera's hint) could be: looked up, not the whole registry.</summary>
    private async Task<IReadOnlyList<string>> RegisteredCandidatesAsync(string? plate, string? hint, CancellationToken cancellationToken)
    {
        var readings = new[] { plate, hint }.Select(p => Vision.PlateText.Normalize(p)).Where(p => p.Length > 0).Distinct().ToList();
        var reachable = readings.Select(r => PlateMatcher.Reachable(r)).ToList();
        if (reachable.All(r => r is not null))
        {
            return readings.Count == 0 ? []
                : await vehicles.ListPlatesAmongAsync(reachable.SelectMany(r => r!).ToHashSet(StringComparer.Ordinal), cancellationToken);
        }

        // A reading of mostly look-alike characters reaches too many plates to list: take the plates of its length.
        var sameLength = new List<string>();
        foreach (int length in readings.Select(r => r.Length).Distinct())
        {
            sameLength.AddRange(await vehicles.ListPlatesOfLengthAsync(length, cancellationToken));
        }

        return sameLength;
    }

    private static void RejectBadInput(PlateReading reading)
    {
        switch (reading.Problem)
        {
            case ImageProblem.NotAnImage:
                throw new CaptureRejectedException(StatusCodes.Status400BadRequest, "Not a usable JPEG or PNG image", string.Join(", ", reading.Reasons));
            case ImageProblem.TooLarge:
                throw new CaptureRejectedException(StatusCodes.Status413PayloadTooLarge, "Image too large", string.Join(", ", reading.Reasons));
            case ImageProblem.TooSmall:
                throw new CaptureRejectedException(StatusCodes.Status422UnprocessableEntity, "Image too small to hold a readable plate", string.Join(", ", reading.Reasons));
        }
    }

    private static bool IsPng(ReadOnlySpan<byte> image) => image.StartsWith("\x89PNG"u8);
}
