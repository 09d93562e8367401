using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>A straightened plate crop (BGR) and where it came from in the image.</summary>
internal sealed record RectifiedPlate(Mat Crop, Point2f[] Quad) : IDisposable
{
    public void Dispose() => Crop.Dispose();
}

/// <summary>
/// Cuts a candidate out of the full image, level with its angle, then finds the row of characters inside it and
/// maps the quadrilateral between the row's top and bottom lines to a rectangle, which removes the rest of the
/// rotation and the perspective. A blue band at the left (EU plates) is cut off.
/// </summary>
internal sealed class PlateRectifier
{
    private const int OutputHeight = 64;

    public RectifiedPlate? Rectify(Mat bgr, PlateCandidate candidate)
    {
        var box = candidate.Box;
        // Text rows are tight around the characters: widen for a province character; colour boxes are the plate itself.
        // Rows may have missed a character at either end, so they get more room.
        var (padX, padY) = candidate.IsTextRow ? (4f, 1.5f) : (0.5f, 1.35f);
        var width = (int)Math.Ceiling(box.Size.Width * (candidate.IsTextRow ? 1 : 1.1f) + box.Size.Height * padX);
        var height = (int)Math.Ceiling(box.Size.Height * padY);
        if (width < 16 || height < 8)
        {
            return null;
        }
        using var rotation = Cv2.GetRotationMatrix2D(box.Center, box.Angle, 1.0);
        rotation.Set(0, 2, rotation.At<double>(0, 2) + width / 2.0 - box.Center.X);
        rotation.Set(1, 2, rotation.At<double>(1, 2) + height / 2.0 - box.Center.Y);
        using var level = new Mat();
        Cv2.WarpAffine(bgr, level, rotation, new Size(width, height), InterpolationFlags.Linear, BorderTypes.Replicate);

        using var inverse = new Mat();
        Cv2.InvertAffineTransform(rotation, inverse);
        var quad = Straighten(level, out var straight);
        if (straight is null)
        {
            Point2f[] whole = [new(0, 0), new(width, 0), new(width, height), new(0, height)];
            return new RectifiedPlate(CutBlueBand(level.Clone()), MapBack(whole, inverse));
        }
        return new RectifiedPlate(CutBlueBand(straight), MapBack(quad, inverse));
    }

    /// <summary>Finds the character row in the levelled crop; returns its padded quadrilateral and the warped row.</summary>
    private static Point2f[] Straighten(Mat level, out Mat? straight)
    {
        straight = null;
        using var gray = new Mat();
        Cv2.CvtColor(level, gray, ColorConversionCodes.BGR2GRAY);
        CharacterRow? best = null;
        foreach (var darkText in new[] { true, false })
        {
            using var binary = new Mat();
            Cv2.Threshold(gray, binary, 0, 255, (darkText ? ThresholdTypes.BinaryInv : ThresholdTypes.Binary) | ThresholdTypes.Otsu);
            var blobs = CharacterRows.Blobs(binary, Math.Max(6, level.Height / 5), level.Height - 2);
            var row = CharacterRows.Find(binary, Math.Max(6, level.Height / 4), level.Height - 2, minCount: 3)
                .OrderByDescending(r => r.Blobs.Count * r.MedianHeight)
                .Select(r => CharacterRows.Extend(r, blobs))
                .FirstOrDefault();
            if (row is not null && (best is null || row.Blobs.Count * row.MedianHeight > best.Blobs.Count * best.MedianHeight))
            {
                best = row;
            }
        }
        if (best is null)
        {
            return [];
        }

        var h = best.MedianHeight;
        var (topA, topB) = FitLine(best.Blobs.Select(b => (b.X + b.Width / 2.0, (double)b.Top)));
        var (bottomA, bottomB) = FitLine(best.Blobs.Select(b => (b.X + b.Width / 2.0, (double)b.Bottom)));
        var padY = 0.32 * h;
        var left = Math.Max(0, best.Left - 0.6 * h);
        var right = Math.Min(level.Width - 1, best.Right + 0.6 * h);
        // A province character or a split letter left of the row: extend over ink the row did not include.
        left = Math.Max(0, Math.Min(left, ExtendLeft(gray, best, h)));
        Point2f[] quad =
        [
            new((float)left, (float)(topA * left + topB - padY)),
            new((float)right, (float)(topA * right + topB - padY)),
            new((float)right, (float)(bottomA * right + bottomB + padY)),
            new((float)left, (float)(bottomA * left + bottomB + padY)),
        ];
        var outWidth = (int)Math.Round(OutputHeight * (right - left) / (h + 2 * padY));
        if (outWidth < 8)
        {
            return [];
        }
        Point2f[] target = [new(0, 0), new(outWidth, 0), new(outWidth, OutputHeight), new(0, OutputHeight)];
        using var perspective = Cv2.GetPerspectiveTransform(quad, target);
        straight = new Mat();
        Cv2.WarpPerspective(level, straight, perspective, new Size(outWidth, OutputHeight), InterpolationFlags.Linear, BorderTypes.Replicate);
        return quad;
    }

    /// <summary>How far left the row should start: one character pitch further when a character-sized gap holds ink.</summary>
    private static double ExtendLeft(Mat gray, CharacterRow row, double h)
    {
        var pitch = row.Blobs.Count > 1 ? (double)(row.Right - row.Left) / (row.Blobs.Count - 1) : h * 0.6;
        var x0 = (int)Math.Max(0, row.Left - pitch * 1.1);
        var x1 = row.Left - 1;
        var y0 = Math.Max(0, row.Top);
        var y1 = Math.Min(gray.Height - 1, row.Bottom);
        if (x1 - x0 < 3 || y1 - y0 < 3)
        {
            return row.Left - 0.35 * h;
        }
        using var strip = new Mat(gray, new Rect(x0, y0, x1 - x0, y1 - y0));
        Cv2.MeanStdDev(strip, out _, out var stddev);
        using var rowStrip = new Mat(gray, new Rect(row.Left, y0, Math.Max(1, row.Right - row.Left), y1 - y0));
        Cv2.MeanStdDev(rowStrip, out _, out var rowStd);
        return stddev.Val0 > 0.6 * rowStd.Val0 ? x0 - 0.2 * h : row.Left - 0.35 * h;
    }

    private static (double A, double B) FitLine(IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        var mx = list.Average(p => p.X);
        var my = list.Average(p => p.Y);
        var sxx = list.Sum(p => (p.X - mx) * (p.X - mx));
        var sxy = list.Sum(p => (p.X - mx) * (p.Y - my));
        var a = sxx > 1e-6 ? sxy / sxx : 0;
        // Median of residuals keeps one tall or short blob (a split letter, a sticker) from tilting the line.
        var b = list.Select(p => p.Y - a * p.X).Order().ElementAt(list.Count / 2);
        return (a, b);
    }

    private static Point2f[] MapBack(Point2f[] points, Mat inverseAffine)
    {
        var m = new double[6];
        for (var i = 0; i < 6; i++)
        {
            m[i] = inverseAffine.At<double>(i / 3, i % 3);
        }
        return points.Select(p => new Point2f((float)(m[0] * p.X + m[1] * p.Y + m[2]), (float)(m[3] * p.X + m[4] * p.Y + m[5]))).ToArray();
    }

    /// <summary>Removes a blue strip at the left edge (the EU band with stars and country code).</summary>
    private static Mat CutBlueBand(Mat crop)
    {
        using var hsv = new Mat();
        Cv2.CvtColor(crop, hsv, ColorConversionCodes.BGR2HSV);
        using var blue = new Mat();
        Cv2.InRange(hsv, new OpenCvSharp.Scalar(100, 110, 50), new OpenCvSharp.Scalar(128, 255, 255), blue);
        using var columnSums = new Mat();
        Cv2.Reduce(blue, columnSums, ReduceDimension.Row, ReduceTypes.Sum, MatType.CV_32S);
        var limit = crop.Width / 5;
        var cut = 0;
        for (var x = 0; x < limit; x++)
        {
            if (columnSums.At<int>(0, x) / 255 > crop.Height * 0.5)
            {
                cut = x + 1;
            }
        }
        // A whole blue plate (Chinese) is blue everywhere: only cut when the rest is not.
        if (cut == 0 || cut >= crop.Width - 8)
        {
            return crop;
        }
        using var rest = blue.ColRange(cut, crop.Width);
        if (Cv2.CountNonZero(rest) > rest.Rows * rest.Cols * 0.4)
        {
            return crop;
        }
        var result = new Mat(crop, new Rect(cut, 0, crop.Width - cut, crop.Height)).Clone();
        crop.Dispose();
        return result;
    }
}
