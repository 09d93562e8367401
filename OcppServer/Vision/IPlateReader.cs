namespace OcppServer.Vision;

/// <summary>Reads the licence plate in an encoded JPEG or PNG image from an entrance camera.</summary>
public interface IPlateReader
{
    /// <summary>
    /// Reads the plate. Bad input (not an image, truncated, too large, too dark, too blurred) is reported in the
    /// reading, not thrown. Throws <see cref="PlateReaderBusyException"/> when the worker queue is full.
    /// </summary>
    Task<PlateReading> ReadAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken ct);
}
