using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>Whole-image exposure and sharpness, measured on the image scaled to 640 pixels wide.</summary>
internal sealed class ImageQualityGate(VisionOptions options)
{
    private const int MeasureWidth = 640;

    public (ImageQuality Quality, ImageProblem Problem, string? Reason) Check(Mat bgr)
    {
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        using var small = new Mat();
        var scale = Math.Min(1.0, (double)MeasureWidth / gray.Width);
        Cv2.Resize(gray, small, new Size(0, 0), scale, scale, InterpolationFlags.Area);

        var mean = Cv2.Mean(small).Val0;
        using var laplacian = new Mat();
        Cv2.Laplacian(small, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out var stddev);
        var blurVariance = stddev.Val0 * stddev.Val0;
        var quality = new ImageQuality(bgr.Width, bgr.Height, Math.Round(blurVariance, 2), Math.Round(mean, 2));

        if (mean < options.MinMeanBrightness)
        {
            return (quality, ImageProblem.TooDark, PlateReasons.TooDark);
        }
        if (mean > options.MaxMeanBrightness)
        {
            return (quality, ImageProblem.TooBright, PlateReasons.TooBright);
        }
        if (blurVariance < options.MinBlurVariance)
        {
            return (quality, ImageProblem.TooBlurred, PlateReasons.TooBlurred);
        }
        return (quality, ImageProblem.None, null);
    }
}
