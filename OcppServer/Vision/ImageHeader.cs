using System.Buffers.Binary;

namespace OcppServer.Vision;

public enum EncodedImageFormat
{
    Unknown,
    Jpeg,
    Png,
}

/// <summary>Format, dimensions and completeness of an encoded image, read from its bytes without decoding it.</summary>
public sealed record ImageHeader(EncodedImageFormat Format, int Width, int Height, bool Complete)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 24 && bytes[..8].SequenceEqual(PngSignature))
        {
            // IHDR is the first chunk: length(4) type(4) width(4) height(4).
            var width = BinaryPrimitives.ReadInt32BigEndian(bytes[16..]);
            var height = BinaryPrimitives.ReadInt32BigEndian(bytes[20..]);
            return new ImageHeader(EncodedImageFormat.Png, width, height, EndsWithPngEnd(bytes));
        }
        if (bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        {
            var (width, height) = JpegSize(bytes);
            return new ImageHeader(EncodedImageFormat.Jpeg, width, height, EndsWithJpegEnd(bytes));
        }
        return new ImageHeader(EncodedImageFormat.Unknown, 0, 0, false);
    }

    /// <summary>Walks the JPEG markers up to the first start-of-frame; (0, 0) when there is none.</summary>
    private static (int Width, int Height) JpegSize(ReadOnlySpan<byte> bytes)
    {
        var i = 2;
        while (i + 4 <= bytes.Length)
        {
            if (bytes[i] != 0xFF)
            {
                return (0, 0);
            }
            var marker = bytes[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }
            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7)
            {
                i += 2; // markers without a length
                continue;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 2)..]);
            var isStartOfFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isStartOfFrame)
            {
                if (i + 9 > bytes.Length)
                {
                    return (0, 0);
                }
                var height = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i + 7)..]);
                return (width, height);
            }
            if (marker == 0xDA || length < 2)
            {
                return (0, 0); // scan data before any frame header
            }
            i += 2 + length;
        }
        return (0, 0);
    }

    /// <summary>A complete JPEG ends with the end-of-image marker (some writers pad a few bytes after it).</summary>
    private static bool EndsWithJpegEnd(ReadOnlySpan<byte> bytes)
    {
        var tail = bytes[Math.Max(0, bytes.Length - 64)..];
        for (var i = tail.Length - 2; i >= 0; i--)
        {
            if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A complete PNG ends with the IEND chunk (length 0, type IEND, CRC).</summary>
    private static bool EndsWithPngEnd(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 12 && bytes[^8..^4].SequenceEqual("IEND"u8);
}
