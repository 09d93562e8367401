using ChargePointSimulator.Camera;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Vision;

namespace OcppServer.Benchmarks;

/// <summary>
/// The <c>plates-calibrate</c> command: reads generated scenes from seeds the <c>plates</c> benchmark does not use
/// (default from 5,000,000; every style, Latin and Chinese) and prints, per confidence threshold, how many reads are
/// accepted and how many of those are exact, then the lowest threshold at which accepted reads are right at least
/// 99.5 % of the time. That threshold is what Vision:MinConfidence is set from (calibration on validation data that
/// is neither the training data nor any real photo).
/// </summary>
internal static class PlateCalibration
{
    private const double Target = 0.995;

    public static Task<int> RunAsync(string[] args)
    {
        var arguments = BenchmarkArguments.Parse(args is [] ? ["--seed", "5000000"] : args);
        var seed = args.Contains("--seed") ? arguments.Seed : 5_000_000;
        var options = new VisionOptions { PrimaryRecognizer = arguments.Primary };
        var formats = new PlateFormats(options.Formats);
        using var reader = new PlateReader(Options.Create(options), formats, TimeProvider.System, NullLogger<PlateReader>.Instance);
        using var fonts = PlateFonts.Load();
        var generator = new PlateSceneGenerator(fonts);
        var styles = Enum.GetValues<PlateStyle>();
        Console.WriteLine($"Calibration: {arguments.Count} generated scenes from seed {seed}, styles {string.Join(", ", styles)}.");

        var reads = new List<(double Confidence, bool Exact)>();
        var unread = 0;
        for (var i = 0; i < arguments.Count; i++)
        {
            var scene = generator.RenderRandom(styles[i % styles.Length], seed + i);
            var reading = reader.ReadNow(scene.Jpeg);
            if (reading.Outcome == PlateReadOutcome.Read)
            {
                reads.Add((reading.Confidence, reading.Plate == scene.Plate));
            }
            else
            {
                unread++;
            }
        }
        Console.WriteLine($"read {reads.Count}, exact {reads.Count(r => r.Exact)}, no read {unread}");
        Console.WriteLine("threshold  accepted  of all   right when accepted");
        double? lowest = null;
        foreach (var threshold in Enumerable.Range(0, 20).Select(k => k * 0.05))
        {
            var accepted = reads.Where(r => r.Confidence >= threshold).ToList();
            var right = accepted.Count(r => r.Exact);
            var precision = accepted.Count == 0 ? 1 : (double)right / accepted.Count;
            Console.WriteLine($"  {threshold,5:0.00}  {accepted.Count,8}  {100.0 * accepted.Count / arguments.Count,5:0.0}%  {100 * precision,6:0.00}% ({accepted.Count - right} wrong)");
            if (lowest is null && precision >= Target)
            {
                lowest = threshold;
            }
        }
        Console.WriteLine(lowest is { } t
            ? $"lowest threshold with accepted reads right >= {Target:P1}: {t:0.00} (Vision:MinConfidence is {options.MinConfidence})"
            : $"no threshold reaches {Target:P1}");
        return Task.FromResult(0);
    }
}
