namespace OcppServer.Vision;

/// <summary>
/// One candidate as both recognisers read it: the leading recogniser's reading (<see cref="VisionOptions.PrimaryRecognizer"/>),
/// the second opinion's own reading, and the reading their combination gives (<see cref="SecondOpinion.Combine"/>).
/// </summary>
internal sealed record CandidateReading(PlateAttempt Combined, PlateAttempt Own, PlateAttempt Second);

/// <summary>
/// Chooses among the readings of one image's candidates when none is sure. Several candidates are often views of the
/// same plate (the fast localiser's box, the text detector's line around it, the line it finds over the whole image),
/// each cut differently: a misreading belongs to one crop, while the plate's text recurs. Each candidate casts two
/// votes, weighted by confidence: its combined reading, and the second opinion's own reading (the general recogniser
/// was trained on real text, the plate recogniser on generated plates: where the two dissent and the general one
/// reads the same plate from several crops, that plate gathers support). The plate with the most support wins, and
/// keeps the confidence of its surest combined reading (views of one plate are not independent evidence, so their
/// agreement does not raise it); a plate only second opinions read is the surer reading of a dissent in reverse, and
/// is lowered by <see cref="SecondOpinion.DissentWeight"/> × the leading recogniser's confidence, as in a dissent.
/// </summary>
internal static class CandidateVote
{
    /// <summary>The chosen reading; null when no reading fits a format.</summary>
    public static PlateAttempt? Choose(IReadOnlyCollection<CandidateReading> readings)
    {
        var support = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            AddVote(support, reading.Combined);
            AddVote(support, reading.Second);
        }
        PlateAttempt? chosen = null;
        var chosenSupport = 0.0;
        foreach (var (plate, votes) in support)
        {
            var surest = Surest(readings, plate);
            if (chosen is null || votes > chosenSupport || (votes == chosenSupport && surest.Confidence > chosen.Confidence))
            {
                chosen = surest;
                chosenSupport = votes;
            }
        }
        // A surer reading of another plate is a dissent: the plurality's reading is lowered as in one.
        var surestOfAll = readings.Select(r => r.Combined).Where(c => c.Fit is not null).MaxBy(c => c.Confidence);
        if (chosen is not null && surestOfAll is not null && surestOfAll.Fit!.Plate != chosen.Fit!.Plate)
        {
            chosen = chosen with { Confidence = SecondOpinion.Dissented(chosen.Confidence, surestOfAll.Confidence), WonVote = true };
        }
        return chosen;
    }

    private static void AddVote(Dictionary<string, double> support, PlateAttempt attempt)
    {
        if (attempt.Fit is { } fit)
        {
            support[fit.Plate] = support.GetValueOrDefault(fit.Plate) + attempt.Confidence;
        }
    }

    /// <summary>The surest combined reading of <paramref name="plate"/>, or else the surest second opinion of it, lowered as a dissent.</summary>
    private static PlateAttempt Surest(IReadOnlyCollection<CandidateReading> readings, string plate)
    {
        PlateAttempt? surest = null;
        foreach (var reading in readings)
        {
            if (reading.Combined.Fit?.Plate == plate && (surest is null || reading.Combined.Confidence > surest.Confidence))
            {
                surest = reading.Combined;
            }
        }
        if (surest is not null)
        {
            return surest;
        }
        foreach (var reading in readings)
        {
            if (reading.Second.Fit?.Plate != plate)
            {
                continue;
            }
            var own = reading.Own.Fit is null ? 0 : reading.Own.Confidence;
            var dissent = reading.Second with
            {
                Confidence = SecondOpinion.Dissented(reading.Second.Confidence, own),
                Opinion = PlateReasons.SecondOpinionDisagrees,
            };
            if (surest is null || dissent.Confidence > surest.Confidence)
            {
                surest = dissent;
            }
        }
        return surest!;
    }
}
