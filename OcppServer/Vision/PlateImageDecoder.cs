using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>The result of decoding: either an image (the caller disposes it) or why there is none.</summary>
internal sealed record DecodedImage(Mat? Image, ImageProblem Problem, string? Reason)
{
    public static DecodedImage Fail(ImageProblem problem, string reason) => new(null, problem, reason);
}

/// <summary>Checks the encoded bytes (format, size, completeness, dimensions) before decoding them with OpenCV.</summary>
internal sealed class PlateImageDecoder(VisionOptions options)
{
    public DecodedImage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return DecodedImage.Fail(ImageProblem.NotAnImage, PlateReasons.Empty);
        }
        if (bytes.Length > options.MaxImageBytes)
        {
            return DecodedImage.Fail(ImageProblem.TooLarge, PlateReasons.TooManyBytes);
        }
        var header = ImageHeader.Read(bytes);
        if (header.Format == EncodedImageFormat.Unknown)
        {
            return DecodedImage.Fail(ImageProblem.NotAnImage, PlateReasons.UnknownFormat);
        }
        if (header.Width <= 0 || header.Height <= 0)
        {
            return DecodedImage.Fail(ImageProblem.NotAnImage, header.Complete ? PlateReasons.ZeroSize : PlateReasons.Truncated);
        }
        if ((long)header.Width * header.Height > options.MaxPixels)
        {
            return DecodedImage.Fail(ImageProblem.TooLarge, PlateReasons.TooManyPixels);
        }
        if (!header.Complete)
        {
            return DecodedImage.Fail(ImageProblem.NotAnImage, PlateReasons.Truncated);
        }
        if (Math.Min(header.Width, header.Height) < options.MinImageSide)
        {
            return DecodedImage.Fail(ImageProblem.TooSmall, PlateReasons.TooSmall);
        }

        var image = Cv2.ImDecode(bytes, ImreadModes.Color);
        if (image.Empty() || image.Width != header.Width || image.Height != header.Height)
        {
            image.Dispose();
            return DecodedImage.Fail(ImageProblem.NotAnImage, PlateReasons.Undecodable);
        }
        return new DecodedImage(image, ImageProblem.None, null);
    }
}
