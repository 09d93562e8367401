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
/// is neither the training data nor any real photo). With <c>--crops DIR</c> it reads hard synthetic plate crops of
/// every region instead (<c>tools/lpr/export_crops.py</c>), as crops, and prints the table for all and per region: a
/// set on which the recognisers are often wrong, so that it shows how much a confidence separates.
/// </summary>
internal static class PlateCalibration
{
    private const double Target = 0.995;

    public static Task<int> RunAsync(string[] args)
    {
        var crops = args.SkipWhile(a => a != "--crops").Skip(1).FirstOrDefault();
        if (crops is not null)
        {
            return Task.FromResult(CalibrateOnCrops(crops, BenchmarkArguments.Parse(RemoveOption(args, "--crops"))));
        }
        var arguments = BenchmarkArguments.Parse(args is [] ? ["--seed", "5000000"] : args);
        var seed = args.Contains("--seed") ? arguments.Seed : 5_000_000;
        var options = new VisionOptions { PrimaryRecognizer = arguments.Primary };
        options.MinConfidence = arguments.MinConfidence ?? options.MinConfidence;
        var formats = new PlateFormats(options.Formats);
        using var reader = new PlateReader(Options.Create(options), formats, TimeProvider.System, NullLogger<PlateReader>.Instance);
        using var fonts = PlateFonts.Load();
        var generator = new PlateSceneGenerator(fonts, arguments.SceneSettings);
        var styles = Enum.GetValues<PlateStyle>();
        Console.WriteLine($"Calibration: {arguments.Count} generated{(arguments.Hard ? " hard" : "")} scenes from seed {seed}, styles {string.Join(", ", styles)}.");

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
        PrintThresholds(reads, arguments.Count, options.MinConfidence);
        return Task.FromResult(0);
    }

    /// <summary>
    /// Calibration on plate crops (<c>tools/lpr/export_crops.py</c>: hard synthetic crops of every region, from seeds
    /// the training never draws; labels.csv as in ../shared/plates): each is read as a crop (both recognisers, the
    /// formats), and the threshold table is printed for all crops and per region.
    /// </summary>
    private static int CalibrateOnCrops(string folder, BenchmarkArguments arguments)
    {
        var options = new VisionOptions { PrimaryRecognizer = arguments.Primary };
        options.MinConfidence = arguments.MinConfidence ?? options.MinConfidence;
        var formats = new PlateFormats(options.Formats);
        using var reader = new PlateReader(Options.Create(options), formats, TimeProvider.System, NullLogger<PlateReader>.Instance);
        var rows = File.ReadLines(Path.Combine(folder, "labels.csv")).Skip(1)
            .Select(line => line.Split(',', 4)).Where(f => f.Length >= 3).Select(f => (File: f[0], Plate: f[1], Region: f[2])).ToList();
        Console.WriteLine($"Calibration on {rows.Count} crops from {folder}; leading recogniser {options.PrimaryRecognizer}.");
        var reads = new List<(double Confidence, bool Exact, string Region)>();
        var opinions = new Dictionary<string, (int Reads, int Exact)>(StringComparer.Ordinal);
        foreach (var (file, plate, region) in rows)
        {
            var reading = reader.ReadCrop(File.ReadAllBytes(Path.Combine(folder, file)));
            reads.Add((reading.Outcome == PlateReadOutcome.Read ? reading.Confidence : -1, reading.Plate == plate, region));
            if (reading.Outcome == PlateReadOutcome.Read)
            {
                var opinion = reading.Reasons.FirstOrDefault(r => r.StartsWith("second_opinion", StringComparison.Ordinal)) ?? "-";
                var (n, exact) = opinions.GetValueOrDefault(opinion);
                opinions[opinion] = (n + 1, exact + (reading.Plate == plate ? 1 : 0));
            }
        }
        Console.WriteLine("what the second opinion said: reads, exact");
        foreach (var (opinion, (n, exact)) in opinions.OrderByDescending(o => o.Value.Reads))
        {
            Console.WriteLine($"  {opinion,-42} {n,5}  {100.0 * exact / n,5:0.0}%");
        }
        foreach (var group in new[] { "all" }.Concat(reads.Select(r => r.Region).Distinct().Order()))
        {
            var set = reads.Where(r => group == "all" || r.Region == group).ToList();
            Console.WriteLine();
            Console.WriteLine($"{group}: {set.Count} crops, read {set.Count(r => r.Confidence >= 0)}, exact {set.Count(r => r.Exact)} ({100.0 * set.Count(r => r.Exact) / set.Count:0.0}%)");
            PrintThresholds([.. set.Where(r => r.Confidence >= 0).Select(r => (r.Confidence, r.Exact))], set.Count, options.MinConfidence);
        }
        return 0;
    }

    private static void PrintThresholds(List<(double Confidence, bool Exact)> reads, int total, double minConfidence)
    {
        Console.WriteLine("threshold  accepted  of all   right when accepted");
        double? lowest = null;
        foreach (var threshold in Enumerable.Range(0, 20).Select(k => k * 0.05))
        {
            var accepted = reads.Where(r => r.Confidence >= threshold).ToList();
            var right = accepted.Count(r => r.Exact);
            var precision = accepted.Count == 0 ? 1 : (double)right / accepted.Count;
            Console.WriteLine($"  {threshold,5:0.00}  {accepted.Count,8}  {100.0 * accepted.Count / total,5:0.0}%  {100 * precision,6:0.00}% ({accepted.Count - right} wrong)");
            if (lowest is null && precision >= Target)
            {
                lowest = threshold;
            }
        }
        Console.WriteLine(lowest is { } t
            ? $"lowest threshold with accepted reads right >= {Target:P1}: {t:0.00} (Vision:MinConfidence is {minConfidence})"
            : $"no threshold reaches {Target:P1}");
    }

    private static string[] RemoveOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i < 0 ? args : [.. args[..i], .. args[Math.Min(args.Length, i + 2)..]];
    }
}
