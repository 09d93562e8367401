using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// One reading of one candidate: the recogniser's text (normalised), its fit to a format, the confidence, where it
/// is, the per-character options (aligned with the fitted plate), what the second opinion said, whether a weak
/// character was skipped, the prior of the format's rank (own region, neighbour, generic), and whether the image's
/// candidates voted it in over a surer reading of another plate (<see cref="CandidateVote"/>).
/// </summary>
internal sealed record PlateAttempt(
    string Raw, PlateFit? Fit, double Confidence, Point2f[] Quad, IReadOnlyList<CharacterOptions>? Characters, string? Opinion = null,
    bool Skipped = false, double Prior = 1, bool WonVote = false);

/// <summary>
/// How the leading recogniser's reading (<see cref="VisionOptions.PrimaryRecognizer"/>) and the other's, its second
/// opinion, make one reading.
/// </summary>
internal static class SecondOpinion
{
    /// <summary>
    /// When the two read different plates, the surer reading's confidence is multiplied by 1 − this × the other's
    /// confidence: a confident dissent costs up to half, an unsure one little.
    /// </summary>
    public const double DissentWeight = 0.5;

    /// <summary>A reading whose second opinion fits no format keeps this share of its confidence.</summary>
    public const double SecondOpinionUnreadableFactor = 0.55;

    /// <summary>A reading only the second opinion could fit to a format keeps this share of its confidence.</summary>
    public const double SecondOpinionOnlyFactor = 0.7;

    /// <summary>
    /// The leading recogniser's reading (<paramref name="own"/>) with the second opinion: the same plate, as both read it
    /// → confidence 1 − (1 − a)(1 − b); the same plate only after one swapped a character for an alternative → the lower
    /// of the two confidences;
    /// the same plate but for look-alike characters → the recogniser's reading, unchanged;
    /// different plates → the surer of the two, less <see cref="DissentWeight"/> × the other's confidence; only one fits a format → that one,
    /// the second opinion's alone at <see cref="SecondOpinionOnlyFactor"/>, the recogniser's alone at
    /// <see cref="SecondOpinionUnreadableFactor"/>.
    /// </summary>
    public static PlateAttempt Combine(PlateAttempt own, PlateAttempt second)
    {
        if (own.Fit is null)
        {
            return second.Fit is null ? own : second with { Confidence = second.Confidence * SecondOpinionOnlyFactor, Opinion = PlateReasons.SecondOpinionOnly };
        }
        if (second.Fit is null)
        {
            // Text the general model reads as no plate at all (a sign, a sticker) is a plate only to the plate model.
            return own with { Confidence = own.Confidence * SecondOpinionUnreadableFactor, Opinion = PlateReasons.SecondOpinionUnreadable };
        }
        if (string.Equals(own.Fit.Plate, second.Fit.Plate, StringComparison.Ordinal))
        {
            if (own.Fit.Plate == own.Raw && second.Fit.Plate == second.Raw)
            {
                return own with { Confidence = 1 - (1 - own.Confidence) * (1 - second.Confidence), Opinion = PlateReasons.SecondOpinionAgrees };
            }
            // One of them reached the plate only by swapping a character it read for an alternative (a STOP sign's O for
            // a 0): that is no independent agreement, and the weaker of the two stands.
            var weaker = own.Confidence <= second.Confidence ? own : second;
            return own with { Confidence = weaker.Confidence, Opinion = PlateReasons.SecondOpinionAgreesAfterSubstitution };
        }
        if (SameUpToLookAlikes(own.Fit.Plate, second.Fit.Plate))
        {
            // O/0, I/1, B/8, S/5, Z/2 only: the leading recogniser's reading stands, neither raised nor lowered.
            return own with { Opinion = PlateReasons.SecondOpinionAgreesUpToLookAlikes };
        }
        if (second.Fit.Plate.Length == own.Fit.Plate.Length + 1 && PlateText.IsProvince(second.Fit.Plate[0])
            && second.Fit.Plate.AsSpan(1).SequenceEqual(own.Fit.Plate))
        {
            // The second opinion saw a province character the leading recogniser dropped.
            return second with { Confidence = 1 - (1 - own.Confidence) * (1 - second.Confidence), Opinion = PlateReasons.SecondOpinionAgrees };
        }
        // The surer of the two, a plate of the station's own formats before one only the generic rule takes.
        var (surer, other) = second.Confidence * second.Prior > own.Confidence * own.Prior ? (second, own) : (own, second);
        return surer with { Confidence = Dissented(surer.Confidence, other.Confidence), Opinion = PlateReasons.SecondOpinionDisagrees };
    }

    /// <summary>A reading's confidence lowered by a dissent of <paramref name="dissent"/> confidence: × (1 − <see cref="DissentWeight"/> × it).</summary>
    public static double Dissented(double confidence, double dissent) => confidence * (1 - DissentWeight * dissent);

    private static bool SameUpToLookAlikes(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && PlateText.LookAlike(a[i]) != b[i])
            {
                return false;
            }
        }
        return true;
    }
}
