using System.Globalization;

namespace OcppServer.Vision;

/// <summary>
/// The vote over the frames of one passage: <see cref="Reading"/> stands for the whole passage (a <see cref="PlateReading"/>
/// like the reader's, its <see cref="PlateReading.Characters"/> the summed options per position), <see cref="BestFrame"/>
/// is the index of the frame that shows it best (the passage's image), <see cref="Agreeing"/> how many frames read exactly
/// the voted plate.
/// </summary>
public sealed record BurstVote(PlateReading Reading, int Frames, int Readable, int Agreeing, int BestFrame);

/// <summary>
/// Votes per character over the frames (images) of one passage, so that a passage gives one reading. Pure: no state, no
/// clock, no I/O.
/// <list type="number">
/// <item>Frames that read nothing (no plate, unusable image) are evidence of nothing: they neither vote nor count against.</item>
/// <item>Readings are grouped by what can be aligned character by character: the same format and the same length. The group
/// with the most weight (the sum of its readings' confidences; then more frames) is voted; the weight of the other groups
/// counts against the result at every position.</item>
/// <item>Per position, each frame adds its options' probabilities (<see cref="PlateReading.Characters"/>; without them the
/// character is certain), weighted by the frame's confidence, and the character with the most is taken.</item>
/// <item>The winning share of a position is the winner's sum over what the frames put on their own best characters (plus the
/// other groups' weight): 1 when every frame agrees, ½ when two equal frames disagree. A clean frame among blurred ones that
/// give its character as an alternative keeps a high share.</item>
/// <item>The confidence is the lowest winning share (one disputed character is what names a wrong vehicle) times the
/// confidence of the best frame that read exactly the voted plate (the group's weighted mean confidence when none did).
/// A single readable frame gives its own reading unchanged.</item>
/// </list>
/// Reasons added: <c>burst_frames:N</c>, <c>burst_readable:R</c>, <c>burst_agreed:A/N</c> and, when readings could not be
/// aligned, <c>burst_groups:G</c>.
/// </summary>
public static class PlateBurstVoter
{
    public const string FramesReason = "burst_frames";
    public const string ReadableReason = "burst_readable";
    public const string AgreedReason = "burst_agreed";
    public const string GroupsReason = "burst_groups";

    public static BurstVote Vote(IReadOnlyList<PlateReading> frames)
    {
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count);
        var readable = Enumerable.Range(0, frames.Count)
            .Where(i => frames[i] is { Outcome: PlateReadOutcome.Read, Plate.Length: > 0 })
            .Select(i => new Frame(i, frames[i], Weight(frames[i])))
            .ToList();
        string framesReason = $"{FramesReason}:{frames.Count.ToString(CultureInfo.InvariantCulture)}";
        string readableReason = $"{ReadableReason}:{readable.Count.ToString(CultureInfo.InvariantCulture)}";
        if (readable.Count == 0)
        {
            return new BurstVote(Unreadable(frames, [framesReason, readableReason, Agreed(0, frames.Count)]), frames.Count, 0, 0, 0);
        }

        var groups = readable.GroupBy(f => (f.Reading.Format ?? "", f.Reading.Plate!.Length))
            .Select(g => g.ToList())
            .OrderByDescending(g => g.Sum(f => f.Weight)).ThenByDescending(g => g.Count)
            .ThenBy(g => g[0].Reading.Format, StringComparer.Ordinal).ThenBy(g => g[0].Reading.Plate!.Length)
            .ToList();
        var group = groups[0];
        double outside = groups.Skip(1).SelectMany(g => g).Sum(f => f.Weight);

        if (readable.Count == 1)
        {
            var only = readable[0];
            return new BurstVote(
                only.Reading with { Reasons = [.. only.Reading.Reasons, framesReason, readableReason, Agreed(1, frames.Count)] },
                frames.Count, 1, 1, only.Index);
        }

        int length = group[0].Reading.Plate!.Length;
        var plate = new char[length];
        var voted = new CharacterOptions[length];
        double lowestShare = 1;
        for (int position = 0; position < length; position++)
        {
            var sums = new Dictionary<char, double>();
            double ownBest = outside;
            foreach (var frame in group)
            {
                var options = OptionsAt(frame.Reading, position);
                foreach (var option in options.Options)
                {
                    sums[option.Char] = sums.GetValueOrDefault(option.Char) + frame.Weight * option.Probability;
                }

                ownBest += frame.Weight * options.Best.Probability;
            }

            var ranked = sums.OrderByDescending(s => s.Value).ThenBy(s => s.Key).ToList();
            plate[position] = ranked[0].Key;
            double share = ownBest > 0 ? Math.Min(1, ranked[0].Value / ownBest) : 0;
            lowestShare = Math.Min(lowestShare, share);
            double total = ranked.Sum(s => s.Value);
            voted[position] = new CharacterOptions(
                ranked.Take(4).Select(s => new CharacterOption(s.Key, total > 0 ? (float)(s.Value / total) : 0)).ToList());
        }

        string text = new(plate);
        var agreeing = group.Where(f => string.Equals(f.Reading.Plate, text, StringComparison.Ordinal)).ToList();
        var best = agreeing.Count > 0
            ? agreeing.OrderByDescending(f => f.Reading.Confidence).ThenBy(f => f.Index).First()
            : group.OrderByDescending(f => f.Weight).ThenBy(f => f.Index).First();
        double basis = agreeing.Count > 0 ? best.Reading.Confidence : group.Sum(f => f.Weight * f.Reading.Confidence) / Math.Max(group.Sum(f => f.Weight), 1e-9);

        var reasons = new List<string> { PlateReasons.PlateRead };
        if (best.Reading.Format is { } format)
        {
            reasons.Add(PlateReasons.Format(format));
        }

        reasons.Add(framesReason);
        reasons.Add(readableReason);
        reasons.Add(Agreed(agreeing.Count, frames.Count));
        if (groups.Count > 1)
        {
            reasons.Add($"{GroupsReason}:{groups.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        var reading = best.Reading with
        {
            Plate = text,
            Format = group[0].Reading.Format,
            Confidence = Math.Clamp(lowestShare * basis, 0, 1),
            Reasons = reasons,
            RawText = null,
            Characters = voted,
            Timings = new PlateReadTimings(
                frames.Sum(f => f.Timings.DecodeMs), frames.Sum(f => f.Timings.QualityMs), frames.Sum(f => f.Timings.LocaliseMs),
                frames.Sum(f => f.Timings.RecogniseMs), frames.Sum(f => f.Timings.TotalMs)),
        };
        return new BurstVote(reading, frames.Count, readable.Count, agreeing.Count, best.Index);
    }

    /// <summary>The recogniser's options at <paramref name="position"/>; without them (or when they do not line up with the plate) the read character, certain.</summary>
    private static CharacterOptions OptionsAt(PlateReading reading, int position)
    {
        char read = reading.Plate![position];
        if (reading.Characters is { } characters && characters.Count == reading.Plate.Length && characters[position].Options.Count > 0)
        {
            var options = characters[position];
            // The read character leads even where a format decoder picked an alternative: the plate is what the frame says.
            return options.Best.Char == read ? options
                : new CharacterOptions([new CharacterOption(read, Math.Max(options.ProbabilityOf(read), options.Best.Probability)),
                    .. options.Options.Where(o => o.Char != read)], options.Blank);
        }

        return CharacterOptions.Certain(read);
    }

    private static double Weight(PlateReading reading) => Math.Clamp(double.IsFinite(reading.Confidence) ? reading.Confidence : 0, 0, 1);

    private static string Agreed(int agreeing, int frames) =>
        string.Create(CultureInfo.InvariantCulture, $"{AgreedReason}:{agreeing}/{frames}");

    /// <summary>Nothing readable in any frame: the first frame's outcome, no plate.</summary>
    private static PlateReading Unreadable(IReadOnlyList<PlateReading> frames, IReadOnlyList<string> burstReasons)
    {
        var first = frames[0];
        var outcome = first.Outcome == PlateReadOutcome.Read ? PlateReadOutcome.NoPlateFound : first.Outcome;
        return first with
        {
            Outcome = outcome,
            Plate = null,
            Format = null,
            Confidence = 0,
            Reasons = [.. first.Reasons, .. burstReasons],
            Characters = null,
        };
    }

    private sealed record Frame(int Index, PlateReading Reading, double Weight);
}
