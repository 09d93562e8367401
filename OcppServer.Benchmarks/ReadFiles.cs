using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Vision;

namespace OcppServer.Benchmarks;

/// <summary>The <c>read</c> command: reads image files and prints each reading.</summary>
internal static class ReadFiles
{
    public static int Run(string[] files)
    {
        var options = new VisionOptions();
        using var reader = new PlateReader(Options.Create(options), new PlateFormats(options.Formats), TimeProvider.System, NullLogger<PlateReader>.Instance);
        foreach (var file in files)
        {
            var reading = reader.ReadNow(File.ReadAllBytes(file));
            Console.WriteLine($"{Path.GetFileName(file)}: {reading.Outcome} {reading.Plate} ({reading.Format}, {reading.Confidence:0.00}) raw '{reading.RawText}' " +
                $"[{string.Join(", ", reading.Reasons)}] blur {reading.Quality?.BlurVariance} mean {reading.Quality?.MeanBrightness} {reading.Timings} ");
        }
        return 0;
    }
}
