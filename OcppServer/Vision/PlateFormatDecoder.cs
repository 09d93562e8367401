namespace OcppServer.Vision;

/// <summary>
/// The best fit of a recogniser's characters to a format. <see cref="Plate"/> is the plate as the template reads it;
/// <see cref="Score"/> is probability-like in [0, 1]: the geometric mean over the characters read of the probability the
/// model gave each character taken (a look-alike the model did not offer costs <see cref="PlateFormatDecoder.LookAlikeFactor"/>,
/// a skipped character counts as <see cref="PlateFormatDecoder.SkipFactor"/> times how weak it was), without the rank
/// prior. <see cref="Substitutions"/> counts characters taken other than the model's first choice;
/// <see cref="SkippedPosition"/> is the index (in the recogniser's characters) of the character left out, if any.
/// </summary>
public sealed record PlateDecoding(
    string Plate, PlateFormat Format, PlateFormatRank Rank, string Template, double Score, int Substitutions, int? SkippedPosition)
{
    /// <summary>The format's name (<c>DE</c>, <c>CN-Blue</c>, <c>BR-Mercosur</c>, <c>Generic</c>).</summary>
    public string FormatName => Format.Name;

    /// <summary>The catalogue region of the format (<c>DE</c>, <c>US-CA</c>, <c>CN</c>), or <c>Generic</c> for the generic rule.</summary>
    public string Region => Format.Region ?? Format.Name;
}

/// <summary>
/// Decodes a recogniser's characters against an ordered list of plate formats (a station's
/// <see cref="PlateFormatOrder"/>). For every template of the right length, each position takes the most probable of
/// the model's options that the position's class allows, so a letter↔digit substitution is the one the model itself
/// supports (a digit position read as <c>S</c> with <c>6</c> as the runner-up becomes 6, not the look-alike 5); when
/// none of the options fits, the look-alike of the first choice (<see cref="PlateText.LookAlike"/>) is taken at a strong
/// penalty. One weak character (high blank probability or low first choice: a sticker, an emblem, a country code read
/// as a letter) may be left out to fit a template one shorter, at a penalty. The best score times the rank prior
/// (<see cref="RegionPrior"/>, <see cref="NeighbourPrior"/>, <see cref="GenericPrior"/>) wins; on a tie the earlier format
/// wins. The priors are fixed (not per photo): they only settle close calls, and make a format that fits beat the generic
/// rule, which takes every first choice and so would otherwise always score highest. Stateless and thread-safe.
/// </summary>
public sealed class PlateFormatDecoder
{
    /// <summary>Prior of the station's own region's formats.</summary>
    public const double RegionPrior = 1.0;

    /// <summary>Prior of a neighbour's formats: beaten by the region unless the region needs much less likely characters.</summary>
    public const double NeighbourPrior = 0.9;

    /// <summary>
    /// Prior of the generic rule: it wins only when no format of the order fits without costly characters. A format that
    /// needs one look-alike the model did not offer (<see cref="LookAlikeFactor"/>) still beats it on a plate of up to
    /// 7 characters (0.05^(1/7) ≈ 0.65 &gt; 0.5); one that needs two does not.
    /// </summary>
    public const double GenericPrior = 0.5;

    /// <summary>Probability factor of a look-alike swap the model did not offer (e.g. O read, only 0 allowed, 0 not among the options).</summary>
    public const double LookAlikeFactor = 0.05;

    /// <summary>Factor on the weakness of a skipped character (the larger of its blank probability and 1 − its first choice).</summary>
    public const double SkipFactor = 0.8;

    /// <summary>A character is weak enough to skip when its blank probability or 1 − its first choice reaches this.</summary>
    public const double WeakThreshold = 0.5;

    private const double Floor = 1e-6;

    /// <summary>
    /// The best fit of <paramref name="characters"/> (the recogniser's characters, in reading order, with their
    /// options) to <paramref name="formats"/> (in order, e.g. <see cref="PlateFormatOrder.Formats"/>), or null when no
    /// template of any format fits (even with one weak character skipped).
    /// </summary>
    public PlateDecoding? Decode(IReadOnlyList<CharacterOptions> characters, IReadOnlyList<RankedPlateFormat> formats)
    {
        int n = characters.Count;
        if (n == 0)
        {
            return null;
        }

        var weakness = new double[n];
        for (int i = 0; i < n; i++)
        {
            weakness[i] = Weakness(characters[i]);
        }

        PlateDecoding? best = null;
        double bestRanking = 0;
        var plate = new char[n];
        foreach (var (format, rank) in formats)
        {
            double prior = Prior(rank);
            foreach (var template in format.Templates)
            {
                if (template.Length == n)
                {
                    Consider(template, -1);
                }
                else if (template.Length == n - 1)
                {
                    for (int skip = 0; skip < n; skip++)
                    {
                        if (weakness[skip] >= WeakThreshold)
                        {
                            Consider(template, skip);
                        }
                    }
                }
            }

            void Consider(string template, int skip)
            {
                if (Score(characters, template, skip, format.MinDigits, plate, out int substitutions) is not { } logSum)
                {
                    return;
                }

                if (skip >= 0)
                {
                    logSum += Math.Log(Math.Max(SkipFactor * weakness[skip], Floor));
                }

                double score = Math.Exp(logSum / n);
                double ranking = score * prior;
                if (ranking > bestRanking)
                {
                    bestRanking = ranking;
                    best = new PlateDecoding(new string(plate, 0, template.Length), format, rank, template, score, substitutions,
                        skip >= 0 ? skip : null);
                }
            }
        }

        return best;
    }

    /// <summary>As <see cref="Decode(IReadOnlyList{CharacterOptions}, IReadOnlyList{RankedPlateFormat})"/> with a station's order.</summary>
    public PlateDecoding? Decode(IReadOnlyList<CharacterOptions> characters, PlateFormatOrder order) => Decode(characters, order.Formats);

    /// <summary>The prior of a rank (see the class summary).</summary>
    public static double Prior(PlateFormatRank rank) => rank switch
    {
        PlateFormatRank.Region => RegionPrior,
        PlateFormatRank.Neighbour => NeighbourPrior,
        _ => GenericPrior,
    };

    /// <summary>How likely the character is not really there: the larger of its blank probability and 1 − its first choice.</summary>
    public static double Weakness(CharacterOptions character) =>
        character.Options.Count == 0 ? 1 : Math.Max(character.Blank, 1 - character.Best.Probability);

    // Sum of the log-probabilities of the characters the template takes (skipping index `skip`), or null when a position
    // takes none of its options nor the first choice's look-alike, or the plate has fewer digits than the format needs.
    private static double? Score(IReadOnlyList<CharacterOptions> characters, string template, int skip, int minDigits, char[] plate, out int substitutions)
    {
        substitutions = 0;
        double logSum = 0;
        int digits = 0;
        int j = 0;
        for (int i = 0; i < characters.Count; i++)
        {
            if (i == skip)
            {
                continue;
            }

            char cls = template[j];
            var options = characters[i].Options;
            char taken = '\0';
            double probability = 0;
            foreach (var option in options)
            {
                if (option.Probability > 0 && PlateFormat.Allows(cls, option.Char))
                {
                    taken = option.Char;
                    probability = option.Probability;
                    break;
                }
            }

            if (taken == '\0')
            {
                if (options.Count == 0 || PlateText.LookAlike(options[0].Char) is not { } other || !PlateFormat.Allows(cls, other))
                {
                    return null;
                }

                taken = other;
                probability = options[0].Probability * LookAlikeFactor;
            }

            if (taken != options[0].Char)
            {
                substitutions++;
            }

            if (char.IsAsciiDigit(taken))
            {
                digits++;
            }

            plate[j++] = taken;
            logSum += Math.Log(Math.Max(probability, Floor));
        }

        return digits >= minDigits ? logSum : null;
    }
}
