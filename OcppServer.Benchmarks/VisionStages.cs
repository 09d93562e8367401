using ChargePointSimulator.Camera;
using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Benchmarks;

/// <summary>
/// The <c>vision-stages</c> command: where the time of one read goes. On generated 1280×720 entrance-camera scenes
/// it times each stage of the pipeline on its own, one thread, as the reader runs it: JPEG decode, the classical
/// localiser, rectification, the plate recogniser on one crop, the PP-OCRv4 recogniser on one crop, and the text
/// detector on a candidate's surroundings (320 px) and on the whole image (<see cref="VisionOptions.DetectionMaxSide"/>).
/// </summary>
internal static class VisionStages
{
    public static int Run(string[] args)
    {
        var arguments = BenchmarkArguments.Parse(args);
        var options = new VisionOptions();
        var files = ModelFiles.Locate(options);
        using var detector = new PaddleTextDetector(files.DetectionModel);
        using var ppOcr = new PaddleTextRecognizer(files);
        using var plateNet = new PlateNetRecognizer(files.PlateModel);
        var localizer = new PlateLocalizer();
        var rectifier = new PlateRectifier();

        using var fonts = PlateFonts.Load();
        var generator = new PlateSceneGenerator(fonts);
        var count = Math.Max(10, arguments.Count);
        var scenes = Enumerable.Range(0, count).Select(i => generator.RenderRandom(PlateStyle.EuWhite, arguments.Seed + 7_000_000 + i)).ToList();

        var stats = new[]
        {
            new LatencyStats("decode JPEG 1280x720"),
            new LatencyStats("classical localiser (all candidates)"),
            new LatencyStats("rectify one candidate"),
            new LatencyStats("plate recogniser, one crop"),
            new LatencyStats("PP-OCRv4 recogniser, one crop"),
            new LatencyStats($"text detector, candidate region ({PlateReadingPipeline.RegionMaxSide} px)"),
            new LatencyStats($"text detector, whole image ({options.DetectionMaxSide} px)"),
        };
        Console.WriteLine($"Vision stages: {count} generated 1280x720 scenes, one thread; each stage timed on its own (first scene = warm-up, not counted).");
        for (var i = 0; i < scenes.Count; i++)
        {
            var timed = i > 0;
            using var image = Time(stats[0], timed, () => Cv2.ImDecode(scenes[i].Jpeg, ImreadModes.Color));
            var candidates = Time(stats[1], timed, () => localizer.Find(image, options.MaxCandidates));
            if (candidates.Count == 0)
            {
                continue;
            }
            using var plate = Time(stats[2], timed, () => rectifier.Rectify(image, candidates[0]));
            if (plate is null)
            {
                continue;
            }
            Time(stats[3], timed, () => plateNet.Recognize(plate.Crop));
            Time(stats[4], timed, () => ppOcr.Recognize(plate.Crop));
            if (PlateReadingPipeline.SearchRegion(candidates[0].Box, image) is { } region)
            {
                using var part = new Mat(image, region);
                Time(stats[5], timed, () => detector.Detect(part, PlateReadingPipeline.RegionMaxSide));
            }
            Time(stats[6], timed, () => detector.Detect(image, options.DetectionMaxSide));
        }
        Console.WriteLine(LatencyStats.Header());
        foreach (var s in stats)
        {
            Console.WriteLine(s.Row());
        }
        return 0;
    }

    private static T Time<T>(LatencyStats stats, bool record, Func<T> stage)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = stage();
        if (record)
        {
            stats.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return result;
    }
}
