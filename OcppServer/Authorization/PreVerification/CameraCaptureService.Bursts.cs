using System.Text.Json;
using OcppServer.Registry;
using OcppServer.Vision;

namespace OcppServer.Authorization.PreVerification;

/// <summary>
/// Several frames of one passage: the images of one multipart request, and, with a <see cref="PassageId"/>, the frames
/// of earlier requests of the same camera with the same passage id (see <see cref="CameraCaptureService.ProcessBurstAsync"/>).
/// </summary>
public sealed record CameraBurst(
    CameraRecord Camera, IReadOnlyList<ReadOnlyMemory<byte>> Frames, DateTimeOffset CapturedAt, string? PlateHint, string? PassageId);

/// <summary>The passage's record after the burst; <see cref="Created"/>: a new record (false: frames joined an existing one).</summary>
public sealed record BurstResult(PreVerificationRecord Record, bool Created);

public sealed partial class CameraCaptureService
{
    /// <summary>How often a burst reads its passage again after another request changed it first.</summary>
    private const int MaxPassageAttempts = 8;

    private static readonly JsonSerializerOptions CharacterJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Records a burst as one passage: every frame is read (bad input in any frame refuses the whole request, nothing
    /// stored), every image is archived with its SHA-256 and linked to the record (<c>capture_frames</c>), and the frames
    /// are voted per character (<see cref="PlateBurstVoter"/>) into one reading that gets the verdict a single image would.
    /// <para>
    /// With a passage id, frames join the camera's passage of that id while their <c>capturedAt</c> is within
    /// <see cref="VisionOptions.BurstWindowSeconds"/> of its first frame: the record is voted again over all its frames and
    /// updated in the same commit as the new frames, by a compare-and-set on the passage row, so that with several nodes
    /// every frame is counted once and the passage keeps one record. Fail-closed rules:
    /// <list type="bullet">
    /// <item>A record consumed by a StartTransaction never changes: a frame for it within the window is refused
    /// (<see cref="CaptureRejectedException"/> 409) and stored nowhere. The gate keeps the record it started on.</item>
    /// <item>A frame later than the window starts a new passage (a new record, alone subject to the gate); one earlier than
    /// the window of the passage now open is refused (409); a passage holds at most <see cref="VisionOptions.MaxBurstFrames"/>
    /// frames (409 past that).</item>
    /// <item>A passage is never moved from one vehicle to another: once its record named a vehicle, a vote for another
    /// plate makes it <c>LowConfidence</c> (reason <c>burst_vehicle_changed</c>) and it keeps naming the first vehicle.
    /// With the StartTransaction's consume taking only a record still <c>Passed</c>, a frame that lowers the vote between
    /// the gate's decision and its commit makes the start fail (EvidenceAlreadyConsumed), never pass on a stale verdict.</item>
    /// <item>Any frame whose bytes the station saw before makes the passage <c>Replayed</c>, any frame whose capturedAt is
    /// out of the allowed skew makes it <c>CaptureTimeOutOfRange</c>; both stay. A second copy of a frame of the passage
    /// (a camera's resend) is kept but does not vote.</item>
    /// <item>The record's pre-verification window stays that of its first frame (created and captured times never move).</item>
    /// </list>
    /// </para>
    /// </summary>
    public async Task<BurstResult> ProcessBurstAsync(CameraBurst burst, CancellationToken cancellationToken)
    {
        var options = vision.CurrentValue;
        var now = time.GetUtcNow();
        var window = TimeSpan.FromSeconds(options.BurstWindowSeconds);
        bool inTime = (burst.CapturedAt - now).Duration() <= TimeSpan.FromSeconds(authorization.CurrentValue.CaptureClockSkewSeconds);

        // Refuse early what would be refused anyway (saves the reader); the commit decides again.
        if (burst.PassageId is { } early && await passages.GetAsync(burst.Camera.Id, early, cancellationToken) is { } open)
        {
            ClassifyOrThrow(open, burst, window, options.MaxBurstFrames);
        }

        var formats = await stationFormats.ForStationAsync(burst.Camera.StationId, cancellationToken);
        var frames = new List<CaptureFrame>(burst.Frames.Count);
        foreach (var image in burst.Frames)
        {
            PlateReading? reading = null;
            if (inTime)
            {
                reading = await reader.ReadAsync(image, formats, cancellationToken);
                RejectBadInput(reading);
            }

            string sha256 = ICaptureArchive.Sha256Hex(image.Span);
            frames.Add(ToFrame(reading, sha256, burst.CapturedAt, now));
        }

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < burst.Frames.Count; i++)
        {
            var image = burst.Frames[i];
            if (!paths.ContainsKey(frames[i].ImageSha256))
            {
                paths[frames[i].ImageSha256] = await images.SaveAsync(image, frames[i].ImageSha256, IsPng(image.Span) ? "png" : "jpg", now, cancellationToken);
            }
        }

        frames = frames.Select(f => f with { ImagePath = paths[f.ImageSha256] }).ToList();
        await cameras.RecordCaptureAsync(burst.Camera.Id, now, cancellationToken);

        for (int attempt = 0; attempt < MaxPassageAttempts; attempt++)
        {
            var state = burst.PassageId is null ? null : await passages.GetAsync(burst.Camera.Id, burst.PassageId, cancellationToken);
            var kind = burst.PassageId is null ? PassageWriteKind.NewRecord
                : state is null ? PassageWriteKind.OpenPassage
                : ClassifyOrThrow(state, burst, window, options.MaxBurstFrames);
            var joined = kind == PassageWriteKind.JoinPassage ? state : null;
            var stored = joined?.Frames ?? [];

            // Frame indexes continue the passage's; a copy of a frame already there (or earlier in this burst) is a duplicate.
            var seen = stored.Select(f => f.ImageSha256).ToHashSet(StringComparer.Ordinal);
            var added = new List<CaptureFrame>(frames.Count);
            foreach (var frame in frames)
            {
                added.Add(frame with
                {
                    FrameIndex = stored.Count + added.Count,
                    Claim = seen.Add(frame.ImageSha256) ? FrameClaims.Claimed : FrameClaims.Duplicate,
                });
            }

            var all = stored.Concat(added).ToList();
            var record = await BuildBurstRecordAsync(burst, all, joined, cancellationToken);
            added = added.Select(f => f with { PreVerificationId = record.Id }).ToList();
            var passage = burst.PassageId is null ? null : new CapturePassage
            {
                CameraId = burst.Camera.Id,
                PassageId = burst.PassageId,
                PreVerificationId = record.Id,
                FirstCapturedAt = joined?.Passage.FirstCapturedAt ?? burst.CapturedAt,
                FrameCount = all.Count,
            };
            var result = await passages.WriteAsync(
                new PassageWrite(kind, record, added, passage, state?.Passage, stored.Any(f => f.Claim == FrameClaims.Replayed)), cancellationToken);
            switch (result.Outcome)
            {
                case PassageWriteOutcome.Committed:
                    return new BurstResult(result.Record!, Created: kind != PassageWriteKind.JoinPassage);
                case PassageWriteOutcome.Consumed:
                    throw PassageConsumed();
            }
        }

        throw new CaptureRejectedException(StatusCodes.Status503ServiceUnavailable, "Passage busy",
            "Other frames of this passage kept arriving at the same time; send this one again.");
    }

    /// <summary>What frames with the burst's capturedAt do to the passage now open under its id; throws when they are refused.</summary>
    private static PassageWriteKind ClassifyOrThrow(PassageState state, CameraBurst burst, TimeSpan window, int maxFrames)
    {
        var first = state.Passage.FirstCapturedAt;
        if (burst.CapturedAt > first + window)
        {
            return PassageWriteKind.RestartPassage;
        }

        if (burst.CapturedAt < first - window)
        {
            throw new CaptureRejectedException(StatusCodes.Status409Conflict, "Passage closed",
                $"Passage {burst.PassageId} of this camera began at {first:O}; a frame captured more than {window.TotalSeconds:0} s before it cannot join.");
        }

        if (state.Record.ConsumedByTransactionId is not null)
        {
            throw PassageConsumed();
        }

        if (state.Passage.FrameCount + burst.Frames.Count > maxFrames)
        {
            throw new CaptureRejectedException(StatusCodes.Status409Conflict, "Passage full",
                $"A passage holds at most {maxFrames} frames; this one has {state.Passage.FrameCount}.");
        }

        return PassageWriteKind.JoinPassage;
    }

    private static CaptureRejectedException PassageConsumed() =>
        new(StatusCodes.Status409Conflict, "Passage already used",
            "A transaction was started on this passage's pre-verification: it no longer changes. Frames of a new passage need a new passage id.");

    /// <summary>The passage's record over all its frames: the vote, then the same verdict a single image would get.</summary>
    private async Task<PreVerificationRecord> BuildBurstRecordAsync(
        CameraBurst burst, IReadOnlyList<CaptureFrame> frames, PassageState? joined, CancellationToken cancellationToken)
    {
        string? hint = burst.PlateHint ?? joined?.Record.PlateHint;
        var voting = frames.Where(f => f.Claim != FrameClaims.Duplicate).ToList();
        PlateObservation observation;
        if (frames.Any(f => f.Outcome == FrameOutcomes.OutOfTime))
        {
            var image = voting[0];
            observation = new PlateObservation(burst.Camera.StationId, "Camera", burst.Camera.Id, null, 0, burst.CapturedAt,
                ["captured_at_out_of_range", $"{PlateBurstVoter.FramesReason}:{frames.Count}"], PreVerificationVerdicts.CaptureTimeOutOfRange,
                null, hint, image.ImageSha256, image.ImagePath);
        }
        else
        {
            var vote = PlateBurstVoter.Vote(voting.Select(ToReading).ToList());
            var assessment = await AssessAsync(vote.Reading, hint, cancellationToken);
            var image = voting[vote.BestFrame];
            observation = new PlateObservation(burst.Camera.StationId, "Camera", burst.Camera.Id, assessment.Plate, assessment.Confidence,
                burst.CapturedAt, assessment.Reasons, assessment.Verdict, assessment.VehicleId, hint, image.ImageSha256, image.ImagePath);
        }

        var record = await recorder.BuildAsync(observation, cancellationToken);
        if (joined is null)
        {
            return record;
        }

        // The same record: its id, and the window of its first frame.
        record = record with
        {
            Id = joined.Record.Id,
            CapturedAt = joined.Record.CapturedAt,
            CreatedAt = joined.Record.CreatedAt,
            ExpiresAt = joined.Record.ExpiresAt,
        };
        if (joined.Record.VehicleId is { } held && record.VehicleId != held)
        {
            var reasons = JsonSerializer.Deserialize<List<string>>(record.Reasons) ?? [];
            reasons.Add(VehicleChangedReason);
            bool namesAnother = record.Verdict is PreVerificationVerdicts.Passed or PreVerificationVerdicts.BlockedVehicle or PreVerificationVerdicts.UnknownVehicle;
            record = record with
            {
                Verdict = namesAnother ? PreVerificationVerdicts.LowConfidence : record.Verdict,
                VehicleId = held,
                Reasons = JsonSerializer.Serialize(reasons),
            };
        }

        return record;
    }

    /// <summary>A passage whose record named one vehicle was voted to another plate: never Passed.</summary>
    public const string VehicleChangedReason = "burst_vehicle_changed";

    private static CaptureFrame ToFrame(PlateReading? reading, string sha256, DateTimeOffset capturedAt, DateTimeOffset receivedAt) => new()
    {
        ImageSha256 = sha256,
        CapturedAt = capturedAt,
        ReceivedAt = receivedAt,
        Outcome = reading?.Outcome.ToString() ?? FrameOutcomes.OutOfTime,
        Plate = reading?.Plate,
        Format = reading?.Format,
        Confidence = reading?.Confidence ?? 0,
        Characters = reading?.Characters is { } characters
            ? JsonSerializer.Serialize(characters.Select(c => new StoredCharacter(
                new string(c.Options.Select(o => o.Char).ToArray()), c.Options.Select(o => o.Probability).ToArray(), c.Blank)), CharacterJson)
            : null,
        Reasons = JsonSerializer.Serialize(reading?.Reasons ?? ["captured_at_out_of_range"]),
    };

    /// <summary>A stored frame as the voter takes it.</summary>
    private static PlateReading ToReading(CaptureFrame frame)
    {
        var outcome = Enum.TryParse<PlateReadOutcome>(frame.Outcome, out var parsed) ? parsed : PlateReadOutcome.NoPlateFound;
        var characters = frame.Characters is null ? null
            : JsonSerializer.Deserialize<List<StoredCharacter>>(frame.Characters, CharacterJson)?
                .Select(c => new CharacterOptions(c.Chars.Zip(c.P, (ch, p) => new CharacterOption(ch, p)).ToList(), c.Blank)).ToList();
        return new PlateReading(outcome, frame.Plate, frame.Format, frame.Confidence, null, ImageProblem.None, null, PlateReadTimings.None,
            JsonSerializer.Deserialize<List<string>>(frame.Reasons) ?? [], null, characters);
    }

    /// <summary>One character's options as stored: the characters in a string, their probabilities, the blank's.</summary>
    private sealed record StoredCharacter(string Chars, float[] P, float Blank);
}
