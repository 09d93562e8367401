using ChargePointSimulator.Camera;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Benchmarks;

/// <summary>
/// The <c>plates</c> command: reads generated scenes (a Latin and a Chinese set) and, when given, the real photos,
/// one image at a time on one core, and prints localisation, exact-read, registry-match and wrong-vehicle rates
/// with the median and 95th percentile time per image.
/// </summary>
internal static class PlateBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var arguments = BenchmarkArguments.Parse(args);
        var options = new VisionOptions { PrimaryRecognizer = arguments.Primary };
        options.MinConfidence = arguments.MinConfidence ?? options.MinConfidence;
        var formats = new PlateFormats(options.Formats);
        using var reader = new PlateReader(Options.Create(options), formats, TimeProvider.System, NullLogger<PlateReader>.Instance);
        var matcher = new PlateMatcher(formats);
        Console.WriteLine($"Plate reader benchmark: {arguments.Count} generated{(arguments.Hard ? " hard" : "")} images (seed {arguments.Seed}), one image at a time, OpenCV and ONNX Runtime on one thread; leading recogniser {options.PrimaryRecognizer}.");

        using var fonts = PlateFonts.Load();
        var generator = new PlateSceneGenerator(fonts, arguments.SceneSettings);
        var half = arguments.Count / 2;
        var latin = Generate(generator, [PlateStyle.EuWhite, PlateStyle.EuYellow], half, arguments.Seed);
        var chinese = Generate(generator, [PlateStyle.CnBlue, PlateStyle.CnGreen], arguments.Count - half, arguments.Seed + 1_000_000);

        // Warm-up: the first inference allocates.
        reader.ReadNow(latin[0].Jpeg);

        var reports = new List<SetReport>
        {
            RunGenerated("generated Latin (EU)", latin, reader, matcher, arguments.DumpFolder, options.MinConfidence),
            RunGenerated("generated Chinese (CN)", chinese, reader, matcher, arguments.DumpFolder, options.MinConfidence),
        };
        if (arguments.RealFolder is not null)
        {
            reports.AddRange(RealPhotos.Run(arguments.RealFolder, reader, matcher, options.MinConfidence));
        }
        Console.WriteLine();
        foreach (var report in reports)
        {
            report.Print(Console.Out);
        }
        Console.WriteLine();
        Console.WriteLine("Generated: 'localised' = a candidate region centred inside the drawn plate. Real photos: 'localised' = some plate-format text was read (no boxes are labelled).");
        Console.WriteLine("Chinese: the reader outputs the province character; 'cn' rows compare the whole plate, the '[1:]' row compares plate[1:].");
        Console.WriteLine($"Low-confidence: no read, or a read below Vision:MinConfidence ({options.MinConfidence}) that the camera path sends to the attendant; 'right when confident': exact among the reads at or above it.");
        Console.WriteLine("Registry: every plate of the set is registered; a wrong-vehicle match is a match to a plate other than the one in the image.");
        return Task.FromResult(0);
    }

    private static List<PlateScene> Generate(PlateSceneGenerator generator, PlateStyle[] styles, int count, int seed) =>
        Enumerable.Range(0, count).Select(i => generator.RenderRandom(styles[i % styles.Length], seed + i)).ToList();

    private static SetReport RunGenerated(string name, List<PlateScene> scenes, PlateReader reader, PlateMatcher matcher, string? dump, double minConfidence)
    {
        var registry = scenes.Select(s => s.Plate).Distinct().ToList();
        var localizer = new PlateLocalizer();
        var report = new SetReport(name);
        if (dump is not null)
        {
            Directory.CreateDirectory(dump);
        }
        foreach (var scene in scenes)
        {
            var reading = reader.ReadNow(scene.Jpeg);
            var localised = IsLocalised(localizer, scene);
            var match = reading.Plate is null ? null : matcher.Match(reading.Plate, registry);
            var exact = reading.Plate == scene.Plate;
            report.Add(localised, exact, match?.Plate == scene.Plate, match is { IsMatch: true } && match.Plate != scene.Plate, reading.Timings,
                reading.Outcome == PlateReadOutcome.Read && reading.Confidence >= minConfidence);
            if (!exact && dump is not null)
            {
                File.WriteAllBytes(Path.Combine(dump, $"{scene.Style}_{scene.Seed}_{scene.Plate}_{reading.RawText ?? "-"}_{(localised ? "L" : "nl")}.jpg"), scene.Jpeg);
            }
        }
        return report;
    }

    private static bool IsLocalised(PlateLocalizer localizer, PlateScene scene)
    {
        using var image = Cv2.ImDecode(scene.Jpeg, ImreadModes.Color);
        var polygon = scene.PlateCorners.Select(p => new Point2f(p.X, p.Y)).ToArray();
        return localizer.Find(image, new VisionOptions().MaxCandidates)
            .Any(c => Cv2.PointPolygonTest(polygon, c.Box.Center, false) >= 0);
    }
}
