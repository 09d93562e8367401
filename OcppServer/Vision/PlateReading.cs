namespace OcppServer.Vision;

public enum PlateReadOutcome
{
    /// <summary>A plate was read and matches one of the enabled formats.</summary>
    Read,

    /// <summary>The image is usable but no plate could be found or read in it.</summary>
    NoPlateFound,

    /// <summary>The image cannot be used at all; <see cref="PlateReading.Problem"/> says why.</summary>
    ImageUnusable,
}

public enum ImageProblem
{
    None,
    NotAnImage,
    TooSmall,
    TooLarge,
    TooDark,
    TooBright,
    TooBlurred,
}

/// <summary>A point in the pixel coordinates of the decoded image.</summary>
public readonly record struct PlatePoint(float X, float Y);

/// <summary>Measures of the whole image taken by the quality gate.</summary>
public sealed record ImageQuality(int Width, int Height, double BlurVariance, double MeanBrightness);

/// <summary>Milliseconds spent in each step.</summary>
public sealed record PlateReadTimings(double DecodeMs, double QualityMs, double LocaliseMs, double RecogniseMs, double TotalMs)
{
    public static readonly PlateReadTimings None = new(0, 0, 0, 0, 0);
}

/// <summary>
/// What the reader made of one image. <see cref="Plate"/> is normalised (upper case, no separators; Chinese plates
/// keep their province character first) and set only when <see cref="Outcome"/> is <see cref="PlateReadOutcome.Read"/>.
/// <see cref="Quad"/> is the plate's outline: top-left, top-right, bottom-right, bottom-left.
/// <see cref="Reasons"/> are short machine-readable codes (see <see cref="PlateReasons"/>).
/// <see cref="Characters"/>, when set, holds per character of <see cref="Plate"/> the recogniser's alternatives
/// (what burst voting adds up across the frames of one passage).
/// </summary>
public sealed record PlateReading(
    PlateReadOutcome Outcome,
    string? Plate,
    string? Format,
    double Confidence,
    IReadOnlyList<PlatePoint>? Quad,
    ImageProblem Problem,
    ImageQuality? Quality,
    PlateReadTimings Timings,
    IReadOnlyList<string> Reasons,
    string? RawText = null,
    IReadOnlyList<CharacterOptions>? Characters = null);
