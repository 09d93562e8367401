namespace OcppServer.Vision;

public enum PlateMatchKind
{
    /// <summary>No registered plate is reachable from the reading.</summary>
    None,

    /// <summary>Exactly one registered plate is reachable and it equals the reading (after the format's own resolution).</summary>
    Exact,

    /// <summary>Exactly one registered plate is reachable, through look-alike characters (O/0, I/1, B/8, S/5, Z/2).</summary>
    LookAlike,

    /// <summary>Several registered plates are reachable: no match, since any of them could be the car.</summary>
    Ambiguous,
}

/// <summary>The outcome of matching a reading against registered plates; <see cref="Plate"/> is set only for a match.</summary>
public sealed record PlateMatch(PlateMatchKind Kind, string? Plate, IReadOnlyList<string> Candidates)
{
    public bool IsMatch => Kind is PlateMatchKind.Exact or PlateMatchKind.LookAlike;
}

/// <summary>
/// Matches plate readings to registered plates. A registered plate is reachable from a reading when both fit the
/// same template of an enabled format and every position holds the character read or its look-alike, and the
/// template allows that character there (so a Chinese letter position never becomes a digit). A match needs exactly
/// one reachable plate: with two or more the reading could be either car, and nothing matches.
/// The formats are those of <see cref="VisionOptions.Formats"/> unless a call names others: a station's
/// (<see cref="StationPlateFormats.ForStationAsync"/> → <see cref="PlateFormatOrder.ToPlateFormats"/>), so a reading
/// that fits only its region's templates is compared position by position under them.
/// </summary>
public sealed class PlateMatcher(PlateFormats defaultFormats)
{
    public PlateMatch Match(string reading, IEnumerable<string> registeredPlates) => Match(reading, registeredPlates, defaultFormats);

    /// <summary>As <see cref="Match(string, IEnumerable{string})"/> under <paramref name="formats"/> (e.g. a station's order).</summary>
    public PlateMatch Match(string reading, IEnumerable<string> registeredPlates, PlateFormats formats)
    {
        var read = PlateText.Normalize(reading);
        if (read.Length == 0)
        {
            return new PlateMatch(PlateMatchKind.None, null, []);
        }
        var templates = TemplatesFor(read, formats);
        var reachable = registeredPlates
            .Select(PlateText.Normalize)
            .Where(g => g.Length == read.Length)
            .Distinct(StringComparer.Ordinal)
            .Where(g => templates.Any(t => Reaches(read, g, t)))
            .ToList();
        if (reachable.Count == 0)
        {
            return new PlateMatch(PlateMatchKind.None, null, []);
        }
        if (reachable.Count > 1)
        {
            return new PlateMatch(PlateMatchKind.Ambiguous, null, reachable);
        }
        var plate = reachable[0];
        var resolved = formats.Fit(read)?.Plate ?? read;
        var kind = plate == read || plate == resolved ? PlateMatchKind.Exact : PlateMatchKind.LookAlike;
        return new PlateMatch(kind, plate, reachable);
    }

    /// <summary>
    /// The plates a reading can reach: each look-alike character either as read or as its partner. Only these
    /// registered plates can come out of <see cref="Match"/>, so the registry is asked for them instead of for every
    /// plate. Null when there are more than <paramref name="limit"/> (a reading of mostly look-alike characters).
    /// </summary>
    public static IReadOnlyList<string>? Reachable(string reading, int limit = 256)
    {
        var read = PlateText.Normalize(reading);
        var variants = new List<string> { read };
        for (int i = 0; i < read.Length; i++)
        {
            if (PlateText.LookAlike(read[i]) is not { } partner)
            {
                continue;
            }

            if (variants.Count * 2 > limit)
            {
                return null;
            }

            int count = variants.Count;
            for (int v = 0; v < count; v++)
            {
                var chars = variants[v].ToCharArray();
                chars[i] = partner;
                variants.Add(new string(chars));
            }
        }

        return variants;
    }

    /// <summary>
    /// Whether a camera's own plate hint agrees with our reading: equal after normalisation (and the format's
    /// look-alike resolution), or both matching the same single registered plate.
    /// </summary>
    public bool HintAgrees(string reading, string? plateHint, IEnumerable<string> registeredPlates) =>
        HintAgrees(reading, plateHint, registeredPlates, defaultFormats);

    /// <summary>As <see cref="HintAgrees(string, string?, IEnumerable{string})"/> under <paramref name="formats"/>.</summary>
    public bool HintAgrees(string reading, string? plateHint, IEnumerable<string> registeredPlates, PlateFormats formats)
    {
        var read = PlateText.Normalize(reading);
        var hint = PlateText.Normalize(plateHint);
        if (read.Length == 0 || hint.Length == 0)
        {
            return false;
        }
        if (read == hint || (formats.Fit(read)?.Plate is { } a && a == formats.Fit(hint)?.Plate))
        {
            return true;
        }
        var registered = registeredPlates as IReadOnlyCollection<string> ?? registeredPlates.ToList();
        var ours = Match(read, registered, formats);
        var theirs = Match(hint, registered, formats);
        return ours.IsMatch && theirs.IsMatch && ours.Plate == theirs.Plate;
    }

    /// <summary>Templates the reading can be read under; a reading that fits no format is compared character by character.</summary>
    private static List<string> TemplatesFor(string read, PlateFormats formats)
    {
        var templates = formats.AllFits(read).Select(f => f.Template).Distinct().ToList();
        if (templates.Count == 0)
        {
            templates.Add(new string('*', read.Length));
        }
        return templates;
    }

    private static bool Reaches(string read, string registered, string template)
    {
        for (var i = 0; i < read.Length; i++)
        {
            var g = registered[i];
            var cls = template[i];
            if (cls != '*' && !PlateFormat.Allows(cls, g))
            {
                return false;
            }
            if (g != read[i] && g != PlateText.LookAlike(read[i]))
            {
                return false;
            }
        }
        return true;
    }
}
