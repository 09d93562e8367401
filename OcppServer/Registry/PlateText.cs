namespace OcppServer.Registry;

/// <summary>
/// Registered plates are stored and compared in the plate reader's normal form (upper case, A–Z, 0–9 and Chinese
/// province characters only), so camera reads and registrations meet on the same text.
/// </summary>
public static class PlateText
{
    public const int MaxLength = 16;

    public static string Normalize(string plate) => Vision.PlateText.Normalize(plate);

    public static bool IsValid(string normalized) => normalized.Length is >= 2 and <= MaxLength;
}
