namespace OcppServer.Authorization.PreVerification;

/// <summary>How a frame's image bytes stood at its station when it was stored.</summary>
public static class FrameClaims
{
    /// <summary>New bytes at the station: claimed for this record.</summary>
    public const string Claimed = "Claimed";

    /// <summary>The station recorded these bytes before, for another record: the whole passage is <c>Replayed</c>.</summary>
    public const string Replayed = "Replayed";

    /// <summary>A second copy of a frame already in this passage (a camera's resend): kept, but it does not vote twice.</summary>
    public const string Duplicate = "Duplicate";
}

/// <summary>What a frame's reading was; <see cref="OutOfTime"/>: not read, its capturedAt was outside the allowed clock skew.</summary>
public static class FrameOutcomes
{
    public const string OutOfTime = "OutOfTime";
}

/// <summary>
/// One frame (image) of a burst record with the reader's reading of it: what the vote is recomputed from when another
/// frame joins the passage. <see cref="Characters"/> and <see cref="Reasons"/> are JSON.
/// </summary>
public sealed record CaptureFrame
{
    public string PreVerificationId { get; init; } = "";
    public int FrameIndex { get; init; }
    public string ImageSha256 { get; init; } = "";
    public string? ImagePath { get; init; }
    public DateTimeOffset CapturedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public string Outcome { get; init; } = "";
    public string? Plate { get; init; }
    public string? Format { get; init; }
    public double Confidence { get; init; }
    public string? Characters { get; init; }
    public string Reasons { get; init; } = "[]";
    public string Claim { get; init; } = FrameClaims.Claimed;
}

/// <summary>Which record a camera's passage id leads to now, since when (the first frame's capturedAt) and with how many frames.</summary>
public sealed record CapturePassage
{
    public string CameraId { get; init; } = "";
    public string PassageId { get; init; } = "";
    public string PreVerificationId { get; init; } = "";
    public DateTimeOffset FirstCapturedAt { get; init; }
    public int FrameCount { get; init; }
}

/// <summary>A passage as read: its row, its record and its frames (in order).</summary>
public sealed record PassageState(CapturePassage Passage, PreVerificationRecord Record, IReadOnlyList<CaptureFrame> Frames);

public enum PassageWriteKind
{
    /// <summary>A burst without a passage id: a new record with its frames.</summary>
    NewRecord,

    /// <summary>The first frames of a passage id: the passage row and a new record.</summary>
    OpenPassage,

    /// <summary>A passage id whose window has passed: the row moves to a new record (the old one stays as it was).</summary>
    RestartPassage,

    /// <summary>Frames that join the passage's record: it is voted again over all its frames.</summary>
    JoinPassage,
}

/// <summary>
/// One commit of a burst. <see cref="Expected"/> is the passage row as read before the vote (for Restart and Join):
/// the write happens only if the row is still exactly that, so the vote it stores was taken over every frame.
/// <see cref="PassageReplayed"/>: a frame already stored was a replay.
/// </summary>
public sealed record PassageWrite(
    PassageWriteKind Kind,
    PreVerificationRecord Record,
    IReadOnlyList<CaptureFrame> NewFrames,
    CapturePassage? Passage,
    CapturePassage? Expected,
    bool PassageReplayed);

public enum PassageWriteOutcome
{
    Committed,

    /// <summary>Another request changed the passage first: nothing was written; read it again and vote again.</summary>
    Raced,

    /// <summary>The record was consumed by a transaction meanwhile: nothing was written.</summary>
    Consumed,
}

public sealed record PassageWriteResult(PassageWriteOutcome Outcome, PreVerificationRecord? Record);

/// <summary>Burst records: the frames of one passage at the entrance, and the passage ids cameras send.</summary>
public interface ICapturePassageStore
{
    /// <summary>The passage a camera's passage id leads to now, with its record and frames; null when none.</summary>
    Task<PassageState?> GetAsync(string cameraId, string passageId, CancellationToken cancellationToken);

    /// <summary>
    /// In one commit: moves the passage row by compare-and-set (<see cref="PassageWrite.Expected"/>; a row inserted for
    /// <see cref="PassageWriteKind.OpenPassage"/>), claims each new frame's SHA-256 at the station (a frame the station has
    /// seen before makes the record <c>Replayed</c>), stores the frames, and inserts the record or, for a join, updates it
    /// only while no transaction has consumed it. Nothing is written when the row moved (<see cref="PassageWriteOutcome.Raced"/>)
    /// or the record was consumed (<see cref="PassageWriteOutcome.Consumed"/>).
    /// </summary>
    Task<PassageWriteResult> WriteAsync(PassageWrite write, CancellationToken cancellationToken);

    /// <summary>The frames of a record, in order (none for a single-image or attendant record).</summary>
    Task<IReadOnlyList<CaptureFrame>> ListFramesAsync(string preVerificationId, CancellationToken cancellationToken);
}
