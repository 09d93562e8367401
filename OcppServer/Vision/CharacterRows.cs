using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>A row of character-shaped blobs: similar heights, side by side, on one (possibly tilted) line.</summary>
internal sealed record CharacterRow(IReadOnlyList<Rect> Blobs, double MedianHeight, double Slope)
{
    public int Left => Blobs.Min(b => b.Left);
    public int Right => Blobs.Max(b => b.Right);
    public int Top => Blobs.Min(b => b.Top);
    public int Bottom => Blobs.Max(b => b.Bottom);
    public double CenterY => Blobs.Average(b => b.Top + b.Height / 2.0);
}

/// <summary>Finds rows of character-shaped connected components in a binary image (characters white).</summary>
internal static class CharacterRows
{
    public static List<CharacterRow> Find(Mat binary, int minHeight, int maxHeight, int minCount)
    {
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(binary, labels, stats, centroids, PixelConnectivity.Connectivity8);
        var blobs = new List<Rect>();
        var areas = new List<int>();
        for (var i = 1; i < count; i++)
        {
            var w = stats.At<int>(i, (int)ConnectedComponentsTypes.Width);
            var h = stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            var area = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            if (h < minHeight || h > maxHeight || w < 1 || w > h * 1.25 || h > w * 9)
            {
                continue;
            }
            var fill = (double)area / (w * h);
            if (fill is < 0.12 or > 0.92)
            {
                continue;
            }
            blobs.Add(new Rect(stats.At<int>(i, (int)ConnectedComponentsTypes.Left), stats.At<int>(i, (int)ConnectedComponentsTypes.Top), w, h));
            areas.Add(area);
        }
        if (blobs.Count > 1500)
        {
            return []; // texture, not text
        }
        return Group(blobs, minCount);
    }

    /// <summary>Blobs linked when their heights and centres agree and the gap between them is small; rows are linked sets.</summary>
    private static List<CharacterRow> Group(List<Rect> blobs, int minCount)
    {
        blobs.Sort((a, b) => a.X.CompareTo(b.X));
        var parent = Enumerable.Range(0, blobs.Count).ToArray();
        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }
        for (var i = 0; i < blobs.Count; i++)
        {
            var a = blobs[i];
            for (var j = i + 1; j < blobs.Count; j++)
            {
                var b = blobs[j];
                var h = Math.Max(a.Height, b.Height);
                if (b.X - a.Right > 1.4 * h)
                {
                    break; // sorted by X: every later blob is farther
                }
                if (b.X - a.Right < -0.3 * h)
                {
                    continue;
                }
                var ratio = (double)a.Height / b.Height;
                var dy = Math.Abs(a.Top + a.Height / 2.0 - (b.Top + b.Height / 2.0));
                if (ratio is > 0.72 and < 1.39 && dy < 0.3 * h)
                {
                    parent[Find(j)] = Find(i);
                }
            }
        }
        return blobs
            .Select((b, i) => (Blob: b, Root: Find(i)))
            .GroupBy(x => x.Root)
            .Where(g => g.Count() >= minCount)
            .Select(g => ToRow(g.Select(x => x.Blob).ToList()))
            .ToList();
    }

    private static CharacterRow ToRow(List<Rect> members)
    {
        var heights = members.Select(m => (double)m.Height).Order().ToList();
        var median = heights[heights.Count / 2];
        // Least-squares slope of the blob centres.
        var xs = members.Select(m => m.X + m.Width / 2.0).ToList();
        var ys = members.Select(m => m.Y + m.Height / 2.0).ToList();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        var sxy = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my));
        var slope = sxx > 1e-6 ? sxy / sxx : 0;
        return new CharacterRow(members, median, slope);
    }
}
