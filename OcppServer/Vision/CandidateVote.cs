namespace OcppServer.Vision;

/// <summary>
/// Chooses among the readings of one image's candidates when none is sure. Several candidates are often views of the
/// same plate (the fast localiser's box, the text detector's line around it, the line it finds over the whole image),
/// each cut differently: a misreading belongs to one crop, while the plate's text recurs. So the plate whose readings'
/// confidences add up to the most wins (a plurality vote weighted by confidence), and it keeps the confidence of its
/// surest reading: views of one plate are not independent evidence, so their agreement does not raise it.
/// </summary>
internal static class CandidateVote
{
    /// <summary>The surest reading of the best-supported plate; null when no reading fits a format.</summary>
    public static PlateAttempt? Choose(IEnumerable<PlateAttempt> readings)
    {
        PlateAttempt? chosen = null;
        var chosenSupport = 0.0;
        foreach (var plate in readings.Where(r => r.Fit is not null).GroupBy(r => r.Fit!.Plate, StringComparer.Ordinal))
        {
            var support = plate.Sum(r => r.Confidence);
            var surest = plate.MaxBy(r => r.Confidence)!;
            if (chosen is null || support > chosenSupport || (support == chosenSupport && surest.Confidence > chosen.Confidence))
            {
                chosen = surest;
                chosenSupport = support;
            }
        }
        return chosen;
    }
}
