using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OcppServer.Vision;

/// <summary>
/// A region of the catalogue: a country (ISO 3166-1 alpha-2, e.g. <c>DE</c>) or a US state (<c>US-CA</c>), its plate
/// formats (most specific first), the regions tried next for a station there (<see cref="Neighbours"/>) and invented
/// example plates that fit its formats.
/// </summary>
public sealed record PlateRegion(
    string Code, string Name, IReadOnlyList<PlateFormat> Formats, IReadOnlyList<string> Neighbours, IReadOnlyList<string> Examples)
{
    /// <summary>The fit of <paramref name="normalized"/> text to this region's formats (as <see cref="PlateFormats.Fit(string)"/>), or null.</summary>
    public PlateFit? Fit(string normalized) => PlateFormats.Fit(Formats, normalized);
}

/// <summary>The plate format file is wrong; the message names the file, the entry and what is wrong with it.</summary>
public sealed class PlateFormatCatalogueException(string message) : InvalidOperationException(message);

/// <summary>
/// The plate formats per region, from <c>Vision/Formats/plate-formats.json</c> (shipped inside the server) and, when
/// <see cref="VisionOptions.FormatsFile"/> names one, an operator's file of the same shape whose entries add regions or
/// replace the shipped one with the same code (its <c>generic</c> entry, if any, replaces the generic rule).
/// Loading validates everything (template syntax and class letters, duplicate codes, neighbours naming unknown codes,
/// examples that fit none of their region's formats) and throws <see cref="PlateFormatCatalogueException"/> naming the
/// entry, so a bad file stops the server at start. Immutable and thread-safe.
/// </summary>
public sealed partial class PlateFormatCatalogue
{
    /// <summary>The code and format name of the generic rule (4 to 8 letters and digits with a digit), tried last.</summary>
    public const string GenericCode = "Generic";

    /// <summary>Former names of formats, still accepted in <see cref="VisionOptions.Formats"/>: <c>EU</c> is the generic rule.</summary>
    public static IReadOnlyDictionary<string, string> LegacyNames { get; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["EU"] = GenericCode };

    private const string ResourceName = "PlateFormats/plate-formats.json";

    private static readonly Lazy<PlateFormatCatalogue> Shipped = new(() => Load(null));

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, PlateRegion> _regions;
    private readonly Dictionary<string, PlateFormat> _formatsByName;

    private PlateFormatCatalogue(List<PlateRegion> regions, PlateFormat generic)
    {
        Regions = regions;
        Generic = generic;
        _regions = regions.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        _formatsByName = new Dictionary<string, PlateFormat>(StringComparer.OrdinalIgnoreCase) { [generic.Name] = generic };
        foreach (var format in regions.SelectMany(r => r.Formats))
        {
            _formatsByName.TryAdd(format.Name, format);
        }
    }

    /// <summary>The catalogue shipped with the server, without an operator's file (loaded once).</summary>
    public static PlateFormatCatalogue BuiltIn => Shipped.Value;

    /// <summary>Every region, in file order (shipped entries first, then the operator's new ones).</summary>
    public IReadOnlyList<PlateRegion> Regions { get; }

    /// <summary>The generic rule (format name <see cref="GenericCode"/>): what vanity, old and foreign plates fall back to.</summary>
    public PlateFormat Generic { get; }

    /// <summary>The region with this code (case-insensitive), or null.</summary>
    public PlateRegion? Find(string? code) => code is not null && _regions.TryGetValue(code, out var region) ? region : null;

    /// <summary>
    /// The format with this name (e.g. <c>CN-Blue</c>, <c>BR-Mercosur</c>, <c>DE</c>, <c>Generic</c>, or the legacy
    /// <c>EU</c>), or null.
    /// </summary>
    public PlateFormat? FindFormat(string name) =>
        _formatsByName.TryGetValue(LegacyNames.TryGetValue(name, out var current) ? current : name, out var format) ? format : null;

    /// <summary>
    /// The region code as stored (upper case, e.g. <c>us-ca</c> → <c>US-CA</c>) when the catalogue knows it; null otherwise.
    /// </summary>
    public string? Canonical(string? code) => Find(code?.Trim())?.Code;

    /// <summary>Loads the shipped file and, when <paramref name="operatorFile"/> is set, the operator's one over it.</summary>
    /// <exception cref="PlateFormatCatalogueException">A file is missing, unreadable or wrong; the message says where.</exception>
    public static PlateFormatCatalogue Load(string? operatorFile)
    {
        using var stream = typeof(PlateFormatCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new PlateFormatCatalogueException($"The plate format resource {ResourceName} is missing from the server.");
        var shipped = Parse(stream, "the shipped plate-formats.json");
        if (string.IsNullOrWhiteSpace(operatorFile))
        {
            return Build(shipped, "the shipped plate-formats.json", null, null);
        }

        FormatFile overrides;
        try
        {
            using var file = File.OpenRead(operatorFile);
            overrides = Parse(file, $"Vision:FormatsFile {operatorFile}");
        }
        catch (IOException e)
        {
            throw new PlateFormatCatalogueException($"Vision:FormatsFile {operatorFile} cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PlateFormatCatalogueException($"Vision:FormatsFile {operatorFile} cannot be read: {e.Message}");
        }

        return Build(shipped, "the shipped plate-formats.json", overrides, $"Vision:FormatsFile {operatorFile}");
    }

    /// <summary>Parses and validates a catalogue from JSON text alone (no shipped entries): for tests and tools.</summary>
    public static PlateFormatCatalogue Parse(string json, string source)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return Build(Parse(stream, source), source, null, null);
    }

    /// <summary>
    /// Expands a template written with repetitions (<c>L{1,3}D{1,4}</c>) into every fixed template it stands for,
    /// shortest first, keeping those whose length is within the bounds.
    /// </summary>
    /// <exception cref="FormatException">A character is not a class letter or a repetition is malformed.</exception>
    public static IReadOnlyList<string> Expand(string template, int minLength = 1, int maxLength = int.MaxValue)
    {
        var parts = new List<(char Class, int Min, int Max)>();
        int i = 0;
        while (i < template.Length)
        {
            char c = template[i];
            if (!PlateFormat.Classes.Contains(c))
            {
                throw new FormatException($"'{c}' at position {i + 1} is not a template class (known: {PlateFormat.Classes}).");
            }

            i++;
            int min = 1, max = 1;
            if (i < template.Length && template[i] == '{')
            {
                var match = Repetition().Match(template, i);
                if (!match.Success || match.Index != i)
                {
                    throw new FormatException($"a repetition after '{c}' must be {{n}} or {{m,n}} with 1 ≤ m ≤ n ≤ 16.");
                }

                min = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                max = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : min;
                if (min < 1 || max < min || max > 16)
                {
                    throw new FormatException($"a repetition after '{c}' must be {{n}} or {{m,n}} with 1 ≤ m ≤ n ≤ 16.");
                }

                i += match.Length;
            }

            parts.Add((c, min, max));
        }

        if (parts.Count == 0)
        {
            throw new FormatException("a template needs at least one class letter.");
        }

        var expanded = new List<string> { "" };
        foreach (var (cls, min, max) in parts)
        {
            expanded = [.. expanded.SelectMany(prefix => Enumerable.Range(min, max - min + 1).Select(n => prefix + new string(cls, n)))
                .Where(t => t.Length <= maxLength)];
        }

        return expanded.Where(t => t.Length >= minLength).Distinct(StringComparer.Ordinal).OrderBy(t => t.Length).ToList();
    }

    [GeneratedRegex(@"\{(\d+)(?:,(\d+))?\}")]
    private static partial Regex Repetition();

    [GeneratedRegex("^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
    private static partial Regex RegionCode();

    private static FormatFile Parse(Stream stream, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<FormatFile>(stream, Json) ?? throw new PlateFormatCatalogueException($"{source} is empty.");
        }
        catch (JsonException e)
        {
            throw new PlateFormatCatalogueException($"{source} is not a valid plate format file: {e.Message}");
        }
    }

    private static PlateFormatCatalogue Build(FormatFile shipped, string shippedSource, FormatFile? overrides, string? overrideSource)
    {
        var regions = new List<PlateRegion>();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        AddAll(shipped, shippedSource, regions, index, replace: false);
        if (overrides is not null)
        {
            AddAll(overrides, overrideSource!, regions, index, replace: true);
        }

        var genericEntry = overrides?.Generic ?? shipped.Generic
            ?? throw new PlateFormatCatalogueException($"{shippedSource} has no \"generic\" entry (the rule tried last).");
        var genericSource = overrides?.Generic is null ? shippedSource : overrideSource!;
        var generic = ToRegion(genericEntry with { Code = GenericCode }, genericSource, forceName: GenericCode).Formats[0];

        // Neighbours are checked once every file is in: an operator's region may name a shipped one and the reverse.
        foreach (var region in regions)
        {
            foreach (var neighbour in region.Neighbours)
            {
                if (!index.ContainsKey(neighbour))
                {
                    throw new PlateFormatCatalogueException($"Plate region {region.Code}: neighbour {neighbour} is not a region of the catalogue.");
                }

                if (string.Equals(neighbour, region.Code, StringComparison.OrdinalIgnoreCase))
                {
                    throw new PlateFormatCatalogueException($"Plate region {region.Code}: it names itself as a neighbour.");
                }
            }
        }

        return new PlateFormatCatalogue(regions, generic);
    }

    private static void AddAll(FormatFile file, string source, List<PlateRegion> regions, Dictionary<string, int> index, bool replace)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in file.Regions ?? [])
        {
            var region = ToRegion(entry, source, forceName: null);
            if (!seen.Add(region.Code))
            {
                throw new PlateFormatCatalogueException($"{source}: plate region {region.Code} is listed twice.");
            }

            if (index.TryGetValue(region.Code, out int at))
            {
                if (!replace)
                {
                    throw new PlateFormatCatalogueException($"{source}: plate region {region.Code} is listed twice.");
                }

                regions[at] = region;
            }
            else
            {
                index[region.Code] = regions.Count;
                regions.Add(region);
            }
        }

        var formatNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var region in regions)
        {
            foreach (var format in region.Formats)
            {
                if (string.Equals(format.Name, GenericCode, StringComparison.OrdinalIgnoreCase) || LegacyNames.ContainsKey(format.Name)
                    || !formatNames.TryAdd(format.Name, region.Code))
                {
                    throw new PlateFormatCatalogueException(
                        $"{source}: plate region {region.Code}: format name {format.Name} is already used{(formatNames.TryGetValue(format.Name, out var other) ? $" by {other}" : "")}.");
                }
            }
        }
    }

    private static PlateRegion ToRegion(RegionEntry entry, string source, string? forceName)
    {
        string code = entry.Code?.Trim() ?? "";
        if (forceName is null && !RegionCode().IsMatch(code))
        {
            throw new PlateFormatCatalogueException(
                $"{source}: plate region \"{entry.Code}\": the code must be ISO 3166-1 alpha-2 (DE) or a subdivision (US-CA), upper case.");
        }

        string where = $"{source}: plate region {code}";
        if (string.IsNullOrWhiteSpace(entry.Name))
        {
            throw new PlateFormatCatalogueException($"{where}: a name is required.");
        }

        bool hasTemplates = entry.Templates is { Count: > 0 };
        bool hasFormats = entry.Formats is { Count: > 0 };
        if (hasTemplates == hasFormats)
        {
            throw new PlateFormatCatalogueException($"{where}: give either \"templates\" (one format named {code}) or \"formats\" (several named ones).");
        }

        var formats = hasTemplates
            ? [ToFormat(forceName ?? code, entry.Templates!, entry.MinDigits, entry.MinLength, entry.MaxLength, code, where)]
            : entry.Formats!.Select(f => ToFormat(f.Name ?? "", f.Templates ?? [], f.MinDigits ?? entry.MinDigits, f.MinLength ?? entry.MinLength,
                f.MaxLength ?? entry.MaxLength, code, where)).ToList();

        var neighbours = (entry.Neighbours ?? []).Select(n => n.Trim().ToUpperInvariant()).ToList();
        var examples = entry.Examples ?? [];
        if (examples.Count == 0)
        {
            throw new PlateFormatCatalogueException($"{where}: at least one example plate is required.");
        }

        foreach (var example in examples)
        {
            var normalized = PlateText.Normalize(example);
            if (normalized != example || formats.All(f => !FitsExactly(f, normalized)))
            {
                throw new PlateFormatCatalogueException(
                    $"{where}: example {example} fits none of its templates ({string.Join(", ", formats.SelectMany(f => f.Templates))}).");
            }
        }

        return new PlateRegion(forceName is null ? code : forceName, entry.Name.Trim(), formats, neighbours, examples);
    }

    private static PlateFormat ToFormat(
        string name, IReadOnlyList<string> templates, int? minDigits, int? minLength, int? maxLength, string region, string where)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new PlateFormatCatalogueException($"{where}: every format needs a name.");
        }

        if (templates.Count == 0)
        {
            throw new PlateFormatCatalogueException($"{where}: format {name} has no template.");
        }

        var expanded = new List<string>();
        foreach (var template in templates)
        {
            try
            {
                expanded.AddRange(Expand(template, minLength ?? 1, maxLength ?? int.MaxValue));
            }
            catch (FormatException e)
            {
                throw new PlateFormatCatalogueException($"{where}: template {template}: {e.Message}");
            }
        }

        if (expanded.Count == 0)
        {
            throw new PlateFormatCatalogueException($"{where}: format {name}: no template is within minLength/maxLength.");
        }

        if (minDigits is < 0)
        {
            throw new PlateFormatCatalogueException($"{where}: minDigits must not be negative.");
        }

        return new PlateFormat(name.Trim(), expanded.Distinct(StringComparer.Ordinal).ToList(), minDigits ?? 0, region);
    }

    // An example must fit as written: a look-alike swap would hide a template that does not take it.
    private static bool FitsExactly(PlateFormat format, string plate) =>
        format.Templates.Any(t => (format with { Templates = [t] }).Fit(plate) is { Substitutions: 0 });

    private sealed record FormatFile(
        [property: JsonPropertyName("$comment")] string? Comment, RegionEntry? Generic, IReadOnlyList<RegionEntry>? Regions);

    private sealed record RegionEntry(
        string? Code, string? Name, IReadOnlyList<string>? Templates, IReadOnlyList<FormatEntry>? Formats, int? MinDigits, int? MinLength,
        int? MaxLength, IReadOnlyList<string>? Neighbours, IReadOnlyList<string>? Examples);

    private sealed record FormatEntry(string? Name, IReadOnlyList<string>? Templates, int? MinDigits, int? MinLength, int? MaxLength);
}
