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
        var blobs = Blobs(binary, minHeight, maxHeight);
        return blobs.Count > 1500 ? [] : Group(blobs, minCount); // more is texture, not text
    }

    /// <summary>
    /// Grows a row with blobs on its line that grouping left out (a letter across a gap, a province character):
    /// similar height, centred on the row's line, within a character or so of either end.
    /// </summary>
    public static CharacterRow Extend(CharacterRow row, IReadOnlyList<Rect> blobs)
    {
        var members = row.Blobs.ToList();
        var h = row.MedianHeight;
        var mx = members.Average(b => b.X + b.Width / 2.0);
        var my = row.CenterY;
        bool added;
        do
        {
            added = false;
            var left = members.Min(b => b.Left);
            var right = members.Max(b => b.Right);
            foreach (var blob in blobs)
            {
                if (members.Contains(blob) || blob.Height < 0.45 * h || blob.Height > 1.35 * h)
                {
                    continue;
                }
                var cx = blob.X + blob.Width / 2.0;
                var lineY = my + row.Slope * (cx - mx);
                var near = (blob.Right <= left && left - blob.Right < 1.6 * h) || (blob.Left >= right && blob.Left - right < 1.6 * h);
                if (near && Math.Abs(blob.Y + blob.Height / 2.0 - lineY) < 0.35 * h)
                {
                    members.Add(blob);
                    added = true;
                }
            }
        }
        while (added && members.Count < 14);
        return members.Count == row.Blobs.Count ? row : row with { Blobs = members };
    }

    /// <summary>Connected components shaped like characters.</summary>
    public static List<Rect> Blobs(Mat binary, int minHeight, int maxHeight)
    {
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(binary, labels, stats, centroids, PixelConnectivity.Connectivity8);
        var blobs = new List<Rect>();
        for (var i = 1; i < count; i++)
        {
            var w = stats.At<int>(i, (int)ConnectedComponentsTypes.Width);
            var h = stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            var area = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            // Up to 2.6 heights wide: two letters that blur together at low resolution still count.
            if (h < minHeight || h > maxHeight || w < 1 || w > h * 2.6 || h > w * 9)
            {
                continue;
            }
            var fill = (double)area / (w * h);
            if (fill is < 0.12 or > 0.92)
            {
                continue;
            }
            blobs.Add(new Rect(stats.At<int>(i, (int)ConnectedComponentsTypes.Left), stats.At<int>(i, (int)ConnectedComponentsTypes.Top), w, h));
        }
        return blobs;
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
