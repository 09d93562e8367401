using System.Diagnostics;
using System.Globalization;

namespace OcppServer.Benchmarks;

/// <summary>Collects per-operation latencies and reports median, p95, p99 and max.</summary>
public sealed class LatencyStats(string name)
{
    private readonly List<double> _milliseconds = [];

    public string Name { get; } = name;

    public async Task MeasureAsync(int iterations, Func<int, Task> operation)
    {
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await operation(i);
            _milliseconds.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    /// <summary>Records one latency measured elsewhere.</summary>
    public void Add(double milliseconds) => _milliseconds.Add(milliseconds);

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public string Row() => string.Format(
        CultureInfo.InvariantCulture, "{0,-44} {1,8} {2,10:0.000} {3,10:0.000} {4,10:0.000} {5,10:0.000}",
        Name, _milliseconds.Count, Percentile(50), Percentile(95), Percentile(99), _milliseconds.Count == 0 ? double.NaN : _milliseconds.Max());

    public static string Header() => string.Format(
        CultureInfo.InvariantCulture, "{0,-44} {1,8} {2,10} {3,10} {4,10} {5,10}", "operation", "n", "median ms", "p95 ms", "p99 ms", "max ms");
}
