using ChargePointSimulator.Camera;
using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>A small fixed set of generated entrance-camera scenes (six per plate style) must be read exactly.</summary>
public sealed class GeneratedPlateReadingTests
{
    private const int PerStyle = 6;
    private PlateReader _reader = null!;
    private PlateFonts _fonts = null!;
    private PlateSceneGenerator _generator = null!;

    [OneTimeSetUp]
    public void CreateReader()
    {
        _reader = VisionTestReader.Create();
        _fonts = PlateFonts.Load();
        _generator = new PlateSceneGenerator(_fonts);
    }

    [OneTimeTearDown]
    public void DisposeReader()
    {
        _reader.Dispose();
        _fonts.Dispose();
    }

    /// <summary>
    /// At least 22 of the 24 plates must be read exactly and all but one must reach the right registered plate
    /// (an O read for a 0 still does, through the look-alike rule); the benchmark measures about 98 % exact on
    /// larger sets, so an honest miss must not fail CI. A reading must never match a different registered plate.
    /// </summary>
    [Test]
    public async Task Reads_the_fixed_set_exactly()
    {
        var scenes = Enum.GetValues<PlateStyle>()
            .SelectMany(style => Enumerable.Range(0, PerStyle).Select(i => _generator.RenderRandom(style, 9000 + i)))
            .ToList();
        var registry = scenes.Select(s => s.Plate).ToList();
        var matcher = new PlateMatcher(new PlateFormats([]));
        var misses = new List<string>();
        var unmatched = 0;
        foreach (var scene in scenes)
        {
            var reading = await _reader.ReadAsync(scene.Jpeg, CancellationToken.None);
            if (reading.Plate != scene.Plate)
            {
                misses.Add($"{scene.Style} seed {scene.Seed}: expected {scene.Plate}, read {reading.Plate ?? "-"} (raw '{reading.RawText}')");
            }
            var match = reading.Plate is null ? null : matcher.Match(reading.Plate, registry);
            if (match is { IsMatch: true })
            {
                Assert.That(match.Plate, Is.EqualTo(scene.Plate), "wrong-vehicle match");
            }
            else
            {
                unmatched++;
            }
            if (reading.Outcome != PlateReadOutcome.Read)
            {
                continue;
            }
            Assert.That(reading.Format, Is.EqualTo(scene.Style switch
            {
                PlateStyle.CnBlue => "CN-Blue",
                PlateStyle.CnGreen => "CN-Green",
                _ => "Generic", // the generic rule, formerly named EU
            }), $"{scene.Style} seed {scene.Seed} {scene.Plate}: read {reading.Plate} (raw '{reading.RawText}', {string.Join(", ", reading.Reasons)})");
            Assert.That(reading.Confidence, Is.InRange(0.0, 1.0));
            Assert.That(reading.Quad, Has.Count.EqualTo(4));
            Assert.That(reading.Timings.TotalMs, Is.GreaterThan(0));
            Assert.That(reading.Reasons, Does.Contain(PlateReasons.PlateRead));
        }
        TestContext.Out.WriteLine($"{scenes.Count - misses.Count}/{scenes.Count} exact. {string.Join("; ", misses)}");
        Assert.That(misses, Has.Count.LessThanOrEqualTo(2), string.Join("\n", misses));
        Assert.That(unmatched, Is.LessThanOrEqualTo(1), string.Join("\n", misses));
    }

    [Test]
    public void Generator_is_deterministic()
    {
        var a = _generator.RenderRandom(PlateStyle.CnGreen, 42);
        var b = _generator.RenderRandom(PlateStyle.CnGreen, 42);
        Assert.That(a.Plate, Is.EqualTo(b.Plate));
        Assert.That(a.Jpeg, Is.EqualTo(b.Jpeg));
        Assert.That((a.Width, a.Height), Is.EqualTo((1280, 720)));
    }
}
