namespace OcppServer.Registry;

/// <summary>Licence plates are stored and compared normalised: upper case, without spaces, dashes or dots.</summary>
public static class PlateText
{
    public const int MaxLength = 16;

    public static string Normalize(string plate)
    {
        var chars = plate.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '.' or '·' or '•')).Select(char.ToUpperInvariant);
        return string.Concat(chars);
    }

    /// <summary>Normalised plates are letters and digits (any script, for province characters), 2 to 16 long.</summary>
    public static bool IsValid(string normalized) =>
        normalized.Length is >= 2 and <= MaxLength && normalized.All(char.IsLetterOrDigit);
}
