using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>
/// Reads the labelled real photographs in ../shared/plates (next to the repository; never copied into it) and
/// checks a modest floor over all of them. Nothing here is tuned per file: the floor is an overall rate.
/// </summary>
public sealed class RealPhotoReadingTests
{
    /// <summary>
    /// Share of all photos read exactly; measured 67 % (51 of 76) when this was written, 78 % (59 of 76) since one
    /// image's candidates vote (<see cref="CandidateVote"/>).
    /// </summary>
    private const double MinExactRate = 0.72;

    [Test]
    public void Reads_a_floor_of_the_real_photos_and_never_matches_the_wrong_vehicle()
    {
        var root = VisionTestReader.RepositoryRoot();
        var folder = root is null ? null : Path.GetFullPath(Path.Combine(root.FullName, "..", "shared", "plates"));
        if (folder is null || !File.Exists(Path.Combine(folder, "labels.csv")))
        {
            Assert.Inconclusive($"The real photos are not here ({folder ?? "no repository root found"}); nothing to measure.");
            return;
        }

        var labels = File.ReadLines(Path.Combine(folder, "labels.csv"))
            .Skip(1)
            .Select(line => line.Split(',', 4))
            .Where(f => f.Length >= 3)
            .Select(f => (File: f[0], Plate: f[1]))
            .ToList();
        Assert.That(labels, Is.Not.Empty);

        using var reader = VisionTestReader.Create();
        var matcher = new PlateMatcher(new PlateFormats(new VisionOptions().Formats));
        var registry = labels.Select(l => l.Plate).Distinct().ToList();
        var exact = 0;
        var wrong = new List<string>();
        foreach (var (file, plate) in labels)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            // Tight crops go straight to recognition; whole photos go through the full pipeline.
            var reading = file.StartsWith("cn_crop_", StringComparison.Ordinal) ? reader.ReadCrop(bytes) : reader.ReadNow(bytes);
            exact += reading.Plate == plate ? 1 : 0;
            if (reading.Plate is not null && matcher.Match(reading.Plate, registry) is { IsMatch: true } match && match.Plate != plate)
            {
                wrong.Add($"{file}: read {reading.Plate}, matched {match.Plate}");
            }
        }

        var rate = (double)exact / labels.Count;
        TestContext.Out.WriteLine($"Real photos: {exact}/{labels.Count} exact ({rate:P0}).");
        Assert.That(wrong, Is.Empty, "wrong-vehicle matches");
        Assert.That(rate, Is.GreaterThanOrEqualTo(MinExactRate));
    }
}
