using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// Finds regions that may hold a plate, on the image scaled to 640 pixels wide: rows of character-shaped blobs
/// (dark on light and light on dark), and blue, yellow and green plate-coloured rectangles. Candidates are ranked
/// by how plate-like they are and how many sources agree, then mapped back to the full image.
/// </summary>
internal sealed class PlateLocalizer
{
    private const int WorkWidth = 640;

    public List<PlateCandidate> Find(Mat bgr, int max)
    {
        var scale = Math.Min(1.0, (double)WorkWidth / bgr.Width);
        using var small = new Mat();
        Cv2.Resize(bgr, small, new Size(0, 0), scale, scale, InterpolationFlags.Area);
        using var gray = new Mat();
        Cv2.CvtColor(small, gray, ColorConversionCodes.BGR2GRAY);

        var found = new List<PlateCandidate>();
        found.AddRange(TextRowCandidates(gray));
        found.AddRange(ColourCandidates(small));

        var ranked = Merge(found);
        return ranked
            .Take(max)
            .Select(c => c with { Box = new RotatedRect(new Point2f((float)(c.Box.Center.X / scale), (float)(c.Box.Center.Y / scale)), new Size2f(c.Box.Size.Width / scale, c.Box.Size.Height / scale), c.Box.Angle) })
            .ToList();
    }

    private static IEnumerable<PlateCandidate> TextRowCandidates(Mat gray)
    {
        var maxHeight = gray.Height / 4;
        foreach (var darkText in new[] { true, false })
        {
            using var binary = new Mat();
            Cv2.AdaptiveThreshold(gray, binary, 255, AdaptiveThresholdTypes.MeanC,
                darkText ? ThresholdTypes.BinaryInv : ThresholdTypes.Binary, 25, darkText ? 8 : -8);
            foreach (var row in CharacterRows.Find(binary, minHeight: 7, maxHeight, minCount: 4))
            {
                var count = row.Blobs.Count;
                if (count > 12)
                {
                    continue;
                }
                var h = row.MedianHeight;
                var width = row.Right - row.Left + 0.8 * h;
                var height = 1.6 * h;
                if (width / height is < 1.5 or > 9)
                {
                    continue;
                }
                var angle = Math.Atan(row.Slope) * 180 / Math.PI;
                var center = new Point2f((float)((row.Left + row.Right) / 2.0), (float)row.CenterY);
                var uniformity = row.Blobs.Average(b => Math.Abs(b.Height - h)) / h;
                var score = 1.0 + 0.12 * Math.Min(count, 8) - uniformity;
                yield return new PlateCandidate(new RotatedRect(center, new Size2f(width, height), (float)angle), score, darkText ? "rows-dark" : "rows-light", IsTextRow: true);
            }
        }
    }

    private static IEnumerable<PlateCandidate> ColourCandidates(Mat bgr)
    {
        using var hsv = new Mat();
        Cv2.CvtColor(bgr, hsv, ColorConversionCodes.BGR2HSV);
        (string Name, OpenCvSharp.Scalar Low, OpenCvSharp.Scalar High)[] colours =
        [
            ("blue", new OpenCvSharp.Scalar(100, 90, 50), new OpenCvSharp.Scalar(128, 255, 255)),
            ("yellow", new OpenCvSharp.Scalar(14, 100, 100), new OpenCvSharp.Scalar(34, 255, 255)),
            ("green", new OpenCvSharp.Scalar(35, 45, 90), new OpenCvSharp.Scalar(88, 255, 255)),
        ];
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(7, 3));
        foreach (var (name, low, high) in colours)
        {
            using var mask = new Mat();
            Cv2.InRange(hsv, low, high, mask);
            Cv2.MorphologyEx(mask, mask, MorphTypes.Close, kernel);
            Cv2.FindContours(mask, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
            foreach (var contour in contours)
            {
                if (contour.Length < 4)
                {
                    continue;
                }
                var box = Upright(Cv2.MinAreaRect(contour));
                var (w, h) = (box.Size.Width, box.Size.Height);
                if (w < 24 || h < 8 || w / h is < 1.8f or > 6.5f || Math.Abs(box.Angle) > 25)
                {
                    continue;
                }
                var fill = Cv2.ContourArea(contour) / (w * h);
                if (fill < 0.55)
                {
                    continue;
                }
                yield return new PlateCandidate(box, 0.8 + 0.4 * fill, name, IsTextRow: false);
            }
        }
    }

    /// <summary>Overlapping candidates are merged into the best one, which gains a little for each that agreed.</summary>
    private static List<PlateCandidate> Merge(List<PlateCandidate> candidates)
    {
        var ordered = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<PlateCandidate>();
        var bonus = new List<double>();
        foreach (var candidate in ordered)
        {
            var rect = candidate.Box.BoundingRect();
            var index = kept.FindIndex(k => Overlap(k.Box.BoundingRect(), rect) > 0.5);
            if (index >= 0)
            {
                bonus[index] += 0.25;
                continue;
            }
            kept.Add(candidate);
            bonus.Add(0);
        }
        return kept.Select((k, i) => k with { Score = k.Score + bonus[i] }).OrderByDescending(k => k.Score).ToList();
    }

    /// <summary>Intersection over the smaller area.</summary>
    internal static double Overlap(Rect a, Rect b)
    {
        var i = a & b;
        var smaller = Math.Min(a.Width * a.Height, b.Width * b.Height);
        return smaller <= 0 ? 0 : (double)(i.Width * i.Height) / smaller;
    }

    /// <summary>The same rectangle described with its long side as the width and its angle within (−90°, 90°].</summary>
    public static RotatedRect Upright(RotatedRect box)
    {
        var (w, h, angle) = (box.Size.Width, box.Size.Height, box.Angle);
        if (h > w)
        {
            (w, h) = (h, w);
            angle += 90;
        }
        while (angle > 90)
        {
            angle -= 180;
        }
        while (angle <= -90)
        {
            angle += 180;
        }
        return new RotatedRect(box.Center, new Size2f(w, h), angle);
    }
}
