namespace OcppServer.Vision;

/// <summary>The machine-readable codes a <see cref="PlateReading"/> carries in its reasons.</summary>
public static class PlateReasons
{
    public const string PlateRead = "plate_read";
    public const string LowConfidence = "low_confidence";
    public const string LookAlikeResolved = "look_alike_resolved";
    public const string WeakCharacterSkipped = "weak_character_skipped";
    public const string SecondOpinionAgrees = "second_opinion_agrees";
    public const string SecondOpinionAgreesAfterSubstitution = "second_opinion_agrees_after_substitution";
    public const string SecondOpinionAgreesUpToLookAlikes = "second_opinion_agrees_up_to_look_alikes";
    public const string SecondOpinionDisagrees = "second_opinion_disagrees";
    public const string SecondOpinionOnly = "second_opinion_only";
    public const string SecondOpinionUnreadable = "second_opinion_unreadable";

    /// <summary>No candidate was sure, and the plate most candidates read won over a surer reading of another plate.</summary>
    public const string CandidatesVoted = "candidates_voted";
    public const string NoCandidates = "no_plate_candidates";
    public const string NoValidText = "no_text_in_plate_format";
    public const string Empty = "image_empty";
    public const string TooManyBytes = "image_too_many_bytes";
    public const string UnknownFormat = "image_format_not_jpeg_or_png";
    public const string Truncated = "image_truncated";
    public const string Undecodable = "image_undecodable";
    public const string ZeroSize = "image_zero_size";
    public const string TooManyPixels = "image_too_many_pixels";
    public const string TooSmall = "image_too_small";
    public const string TooDark = "image_too_dark";
    public const string TooBright = "image_too_bright";
    public const string TooBlurred = "image_too_blurred";

    public static string Format(string name) => $"format:{name}";
}
