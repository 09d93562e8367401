using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// Finds lines of text with the PaddleOCR PP-OCRv4 text detector (a DB, "differentiable binarisation", network):
/// the image scaled so its longer side is at most a given size (both sides multiples of 32), BGR normalised with
/// the ImageNet mean and deviation, gives a map of text probability; the map is thresholded, each connected region
/// is scored by its mean probability and grown back by the ratio the network was trained to shrink text by
/// (area × ratio / perimeter). Returns rotated boxes in the input image's pixels. One session, one thread per call.
/// </summary>
internal sealed class PaddleTextDetector : IDisposable
{
    private const float PixelThreshold = 0.3f;
    private const float BoxThreshold = 0.5f;
    private const double UnclipRatio = 1.6;
    private static ReadOnlySpan<float> Mean => [0.485f, 0.456f, 0.406f];

    private static ReadOnlySpan<float> Deviation => [0.229f, 0.224f, 0.225f];

    private readonly InferenceSession _session;
    private readonly string _inputName;

    public PaddleTextDetector(string modelFile)
    {
        _session = OnnxSessions.SingleThreaded(modelFile);
        _inputName = _session.InputMetadata.Keys.First();
    }

    /// <summary>Text lines in <paramref name="bgr"/>, scaled so its longer side is at most <paramref name="maxSide"/>; best first.</summary>
    public List<DetectedText> Detect(Mat bgr, int maxSide)
    {
        var scale = Math.Min(1.0, maxSide / (double)Math.Max(bgr.Width, bgr.Height));
        var width = Math.Max(32, (int)Math.Round(bgr.Width * scale / 32) * 32);
        var height = Math.Max(32, (int)Math.Round(bgr.Height * scale / 32) * 32);
        using var resized = new Mat();
        Cv2.Resize(bgr, resized, new Size(width, height), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);

        var tensor = new DenseTensor<float>([1, 3, height, width]);
        var span = tensor.Buffer.Span;
        var plane = height * width;
        var pixels = resized.AsSpan<byte>();
        for (var offset = 0; offset < plane; offset++)
        {
            for (var c = 0; c < 3; c++)
            {
                span[c * plane + offset] = (pixels[3 * offset + c] / 255f - Mean[c]) / Deviation[c];
            }
        }
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)]);
        var map = results[0].AsTensor<float>();
        var probabilities = new float[plane];
        var i = 0;
        foreach (var p in map)
        {
            probabilities[i++] = p;
        }
        using var probability = Mat.FromPixelData(height, width, MatType.CV_32FC1, probabilities);
        using var binary = new Mat();
        Cv2.Threshold(probability, binary, PixelThreshold, 255, ThresholdTypes.Binary);
        using var mask = new Mat();
        binary.ConvertTo(mask, MatType.CV_8UC1);
        Cv2.FindContours(mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);

        var (sx, sy) = (bgr.Width / (double)width, bgr.Height / (double)height);
        var found = new List<DetectedText>();
        foreach (var contour in contours)
        {
            if (contour.Length < 4)
            {
                continue;
            }
            var box = Cv2.MinAreaRect(contour);
            if (Math.Min(box.Size.Width, box.Size.Height) < 3)
            {
                continue;
            }
            var score = MeanInside(probability, contour);
            if (score < BoxThreshold)
            {
                continue;
            }
            // Grow the shrunk text kernel back: by area × ratio / perimeter on every side.
            var area = box.Size.Width * box.Size.Height;
            var perimeter = 2 * (box.Size.Width + box.Size.Height);
            var offset = (float)(area * UnclipRatio / perimeter);
            var grown = new RotatedRect(box.Center, new Size2f(box.Size.Width + 2 * offset, box.Size.Height + 2 * offset), box.Angle);
            var mapped = new RotatedRect(
                new Point2f((float)(grown.Center.X * sx), (float)(grown.Center.Y * sy)),
                new Size2f((float)(grown.Size.Width * sx), (float)(grown.Size.Height * sy)), grown.Angle);
            found.Add(new DetectedText(PlateLocalizer.Upright(mapped), score));
        }
        found.Sort((a, b) => b.Score.CompareTo(a.Score));
        return found;
    }

    private static double MeanInside(Mat probability, Point[] contour)
    {
        var bounds = Cv2.BoundingRect(contour) & new Rect(0, 0, probability.Width, probability.Height);
        if (bounds.Width <= 0 || bounds.Height <= 0)
        {
            return 0;
        }
        using var mask = new Mat(bounds.Height, bounds.Width, MatType.CV_8UC1, OpenCvSharp.Scalar.Black);
        var shifted = contour.Select(p => new Point(p.X - bounds.X, p.Y - bounds.Y)).ToArray();
        Cv2.FillPoly(mask, [shifted], OpenCvSharp.Scalar.White);
        using var region = new Mat(probability, bounds);
        return Cv2.Mean(region, mask).Val0;
    }

    public void Dispose() => _session.Dispose();
}

/// <summary>A line of text the detector found: its rotated box (long side as width) in image pixels and its mean probability.</summary>
internal sealed record DetectedText(RotatedRect Box, double Score);
