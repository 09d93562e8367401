using SkiaSharp;

namespace ChargePointSimulator.Camera;

/// <summary>The perspective transform that maps one quadrilateral onto another.</summary>
internal static class Homography
{
    /// <summary>Solves the 3×3 matrix mapping <paramref name="from"/>[i] to <paramref name="to"/>[i] (four points each).</summary>
    public static SKMatrix Between(IReadOnlyList<SKPoint> from, IReadOnlyList<SKPoint> to)
    {
        var a = new double[8, 9];
        for (var i = 0; i < 4; i++)
        {
            double x = from[i].X, y = from[i].Y, u = to[i].X, v = to[i].Y;
            double[] rowU = [x, y, 1, 0, 0, 0, -u * x, -u * y, u];
            double[] rowV = [0, 0, 0, x, y, 1, -v * x, -v * y, v];
            for (var j = 0; j < 9; j++)
            {
                a[2 * i, j] = rowU[j];
                a[2 * i + 1, j] = rowV[j];
            }
        }
        var h = SolveAugmented(a);
        return new SKMatrix((float)h[0], (float)h[1], (float)h[2], (float)h[3], (float)h[4], (float)h[5], (float)h[6], (float)h[7], 1f);
    }

    private static double[] SolveAugmented(double[,] a)
    {
        const int n = 8;
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }
            if (Math.Abs(a[pivot, col]) < 1e-12)
            {
                throw new ArgumentException("Degenerate quadrilateral.");
            }
            for (var j = 0; j <= n; j++)
            {
                (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            }
            for (var row = 0; row < n; row++)
            {
                if (row == col)
                {
                    continue;
                }
                var factor = a[row, col] / a[col, col];
                for (var j = col; j <= n; j++)
                {
                    a[row, j] -= factor * a[col, j];
                }
            }
        }
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = a[i, n] / a[i, i];
        }
        return result;
    }
}
