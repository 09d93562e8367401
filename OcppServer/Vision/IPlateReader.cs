namespace OcppServer.Vision;

/// <summary>Reads the licence plate in an encoded JPEG or PNG image from an entrance camera.</summary>
public interface IPlateReader
{
    /// <summary>
    /// Reads the plate. Bad input (not an image, truncated, too large, too dark, too blurred) is reported in the
    /// reading, not thrown. Throws <see cref="PlateReaderBusyException"/> when the worker queue is full.
    /// </summary>
    Task<PlateReading> ReadAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken ct);

    /// <summary>
    /// Reads the plate, decoding what the recogniser saw against <paramref name="formats"/> (a station's order: its
    /// region, its neighbours, the generic rule; see <see cref="StationPlateFormats"/>); null means the formats enabled
    /// in Vision:Formats.
    /// </summary>
    Task<PlateReading> ReadAsync(ReadOnlyMemory<byte> encodedImage, PlateFormatOrder? formats, CancellationToken ct);
}
