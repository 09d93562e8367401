namespace OcppServer.Vision;

/// <summary>
/// A plate format: one or more position templates. Each template character is a class:
/// <c>P</c> Chinese province, <c>L</c> letter A–Z, <c>D</c> digit, <c>A</c> letter or digit,
/// <c>C</c> letter without I and O, <c>Y</c> digit or letter without I and O, <c>E</c> D or F (new-energy marker),
/// <c>H</c> E or H (the German electric and historic suffix).
/// <paramref name="Region"/> is the catalogue region the format belongs to (<see cref="PlateFormatCatalogue"/>), or
/// null for a format made up in code.
/// </summary>
public sealed record PlateFormat(string Name, IReadOnlyList<string> Templates, int MinDigits = 0, string? Region = null)
{
    /// <summary>Every template class letter <see cref="Allows"/> knows.</summary>
    public const string Classes = "PLDACYEH";

    public static bool Allows(char templateClass, char c) => templateClass switch
    {
        'P' => PlateText.IsProvince(c),
        'L' => c is >= 'A' and <= 'Z',
        'D' => c is >= '0' and <= '9',
        'A' => c is >= 'A' and <= 'Z' or >= '0' and <= '9',
        'C' => c is >= 'A' and <= 'Z' and not 'I' and not 'O',
        'Y' => c is >= '0' and <= '9' or >= 'A' and <= 'Z' and not 'I' and not 'O',
        'E' => c is 'D' or 'F',
        'H' => c is 'E' or 'H',
        _ => throw new ArgumentOutOfRangeException(nameof(templateClass), templateClass, "Unknown plate template class."),
    };

    /// <summary>
    /// Fits normalised text to this format: where a position forbids the character read but allows its
    /// look-alike, the look-alike is taken. Of the templates that take the text, the one needing the fewest look-alike
    /// swaps wins (the first listed on a tie). Returns the resolved plate and its template, or null when it does not fit.
    /// </summary>
    public PlateFit? Fit(string text)
    {
        PlateFit? best = null;
        foreach (var template in Templates)
        {
            if (template.Length != text.Length)
            {
                continue;
            }
            var resolved = new char[text.Length];
            var substitutions = 0;
            var fits = true;
            for (var i = 0; i < text.Length && fits; i++)
            {
                var c = text[i];
                if (Allows(template[i], c))
                {
                    resolved[i] = c;
                }
                else if (PlateText.LookAlike(c) is { } other && Allows(template[i], other))
                {
                    resolved[i] = other;
                    substitutions++;
                }
                else
                {
                    fits = false;
                }
            }
            if (fits && resolved.Count(char.IsAsciiDigit) >= MinDigits && (best is null || substitutions < best.Substitutions))
            {
                best = new PlateFit(this, template, new string(resolved), substitutions);
                if (substitutions == 0)
                {
                    break;
                }
            }
        }
        return best;
    }
}

/// <summary>Text fitted to a format: the resolved plate, the template it fits and how many look-alikes were swapped.</summary>
public sealed record PlateFit(PlateFormat Format, string Template, string Plate, int Substitutions);
