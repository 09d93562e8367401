using Microsoft.Extensions.Options;

namespace OcppServer.Vision;

/// <summary>
/// The plate formats enabled in <see cref="VisionOptions.Formats"/>, taken from the <see cref="PlateFormatCatalogue"/>:
/// each name is a format (<c>CN-Blue</c>, <c>BR-Mercosur</c>, <c>Generic</c>, the legacy <c>EU</c> for the generic
/// rule) or a region code (<c>DE</c>, <c>US-CA</c>: all of its formats). They are tried in the order named, the generic
/// rule always last (it takes any 4 to 8 letters and digits with a digit). None named means <see cref="DefaultNames"/>.
/// Per-station formats (the station's region, its neighbours, then the generic rule) are <see cref="PlateFormatOrders"/>.
/// </summary>
public sealed class PlateFormats
{
    /// <summary>What an empty <see cref="VisionOptions.Formats"/> enables: the two Chinese formats and the generic rule.</summary>
    public static IReadOnlyList<string> DefaultNames { get; } = ["CN-Green", "CN-Blue", PlateFormatCatalogue.GenericCode];

    public PlateFormats(IOptions<VisionOptions> options, PlateFormatCatalogue catalogue)
        : this(options.Value.Formats, catalogue)
    {
    }

    /// <summary>The named formats of the shipped catalogue; none named means <see cref="DefaultNames"/>.</summary>
    public PlateFormats(IEnumerable<string> enabled)
        : this(enabled, PlateFormatCatalogue.BuiltIn)
    {
    }

    /// <summary>The named formats or regions of <paramref name="catalogue"/>; none named means <see cref="DefaultNames"/>.</summary>
    /// <exception cref="ArgumentException">A name is neither a format nor a region of the catalogue.</exception>
    public PlateFormats(IEnumerable<string> enabled, PlateFormatCatalogue catalogue)
    {
        var names = enabled.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();
        if (names.Count == 0)
        {
            names.AddRange(DefaultNames);
        }

        var formats = new List<PlateFormat>();
        var unknown = new List<string>();
        foreach (var name in names)
        {
            var found = catalogue.FindFormat(name) is { } format ? [format] : catalogue.Find(name)?.Formats;
            if (found is null)
            {
                unknown.Add(name);
                continue;
            }

            formats.AddRange(found.Where(f => !formats.Contains(f)));
        }

        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Unknown plate format(s) {string.Join(", ", unknown)} in Vision:Formats; give format names (CN-Blue, CN-Green, BR-Mercosur, Generic or EU, ...) " +
                "or region codes of the plate format catalogue (DE, US-CA, ...).");
        }

        Enabled = [.. formats.Where(f => f != catalogue.Generic), .. formats.Where(f => f == catalogue.Generic)];
    }

    private PlateFormats(IReadOnlyList<PlateFormat> formats)
    {
        Enabled = formats;
    }

    /// <summary>Exactly these formats, in this order (e.g. a station's, from <see cref="PlateFormatOrder.Formats"/>).</summary>
    public static PlateFormats Exactly(IReadOnlyList<PlateFormat> formats) => new(formats);

    public IReadOnlyList<PlateFormat> Enabled { get; }

    /// <summary>
    /// Normalises the text and fits it to the first enabled format that takes it as read; failing that, to the one that
    /// needs the fewest look-alike swaps (the earlier on a tie); null when none takes it.
    /// </summary>
    public PlateFit? Fit(string text) => Fit(Enabled, PlateText.Normalize(text));

    /// <summary>As <see cref="Fit(string)"/> over <paramref name="formats"/>, for text already normalised.</summary>
    public static PlateFit? Fit(IEnumerable<PlateFormat> formats, string normalized)
    {
        PlateFit? best = null;
        foreach (var format in formats)
        {
            if (format.Fit(normalized) is { } fit && (best is null || fit.Substitutions < best.Substitutions))
            {
                best = fit;
                if (fit.Substitutions == 0)
                {
                    break;
                }
            }
        }
        return best;
    }

    /// <summary>Every (format, template) that the normalised text fits, with look-alikes resolved per template.</summary>
    public IEnumerable<PlateFit> AllFits(string normalized)
    {
        foreach (var format in Enabled)
        {
            foreach (var template in format.Templates)
            {
                if (template.Length == normalized.Length && (format with { Templates = [template] }).Fit(normalized) is { } fit)
                {
                    yield return fit with { Format = format };
                }
            }
        }
    }
}
