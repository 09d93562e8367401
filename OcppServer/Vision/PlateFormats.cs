using Microsoft.Extensions.Options;

namespace OcppServer.Vision;

/// <summary>The plate formats enabled in <see cref="VisionOptions.Formats"/>, most specific first.</summary>
public sealed class PlateFormats
{
    /// <summary>EU/UK-style: 4 to 8 letters and digits with at least one digit.</summary>
    public static readonly PlateFormat European = new("EU", [.. Enumerable.Range(4, 5).Select(n => new string('A', n))], MinDigits: 1);

    /// <summary>Chinese blue plate: province, letter, five letters or digits (no I or O).</summary>
    public static readonly PlateFormat ChineseBlue = new("CN-Blue", ["PCYYYYY"]);

    /// <summary>Chinese green new-energy plate: province, letter, then D/F + 5 (small) or 5 digits + D/F (large).</summary>
    public static readonly PlateFormat ChineseGreen = new("CN-Green", ["PCEYDDDD", "PCDDDDDE"]);

    public static IReadOnlyList<PlateFormat> BuiltIn { get; } = [ChineseGreen, ChineseBlue, European];

    public PlateFormats(IOptions<VisionOptions> options)
        : this(options.Value.Formats)
    {
    }

    /// <summary>The named formats; none named means every built-in format.</summary>
    public PlateFormats(IEnumerable<string> enabled)
    {
        var names = enabled.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (names.Count == 0)
        {
            names.UnionWith(BuiltIn.Select(f => f.Name));
        }
        var unknown = names.Where(n => !BuiltIn.Any(f => string.Equals(f.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown plate format(s) {string.Join(", ", unknown)}; known: {string.Join(", ", BuiltIn.Select(f => f.Name))}.");
        }
        Enabled = BuiltIn.Where(f => names.Contains(f.Name)).ToList();
    }

    public IReadOnlyList<PlateFormat> Enabled { get; }

    /// <summary>Normalises the text and fits it to the first enabled format that takes it, or null.</summary>
    public PlateFit? Fit(string text)
    {
        var normalized = PlateText.Normalize(text);
        foreach (var format in Enabled)
        {
            if (format.Fit(normalized) is { } fit)
            {
                return fit;
            }
        }
        return null;
    }

    /// <summary>Every (format, template) that the normalised text fits, with look-alikes resolved per template.</summary>
    public IEnumerable<PlateFit> AllFits(string normalized)
    {
        foreach (var format in Enabled)
        {
            foreach (var template in format.Templates)
            {
                if (new PlateFormat(format.Name, [template], format.MinDigits).Fit(normalized) is { } fit)
                {
                    yield return fit with { Format = format };
                }
            }
        }
    }
}
