using ChargePointSimulator.Camera;
using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Tests.Vision;

/// <summary>
/// The project's plate recogniser (models/lpr, trained by tools/lpr) and the PP-OCRv4 text detector, each on its own,
/// on generated scenes cut where the scene generator drew the plate (the generator is other code than the training
/// renderer, so these are plates the model never saw).
/// </summary>
public sealed class PlateModelTests
{
    private PlateFonts _fonts = null!;
    private PlateSceneGenerator _generator = null!;
    private PlateNetRecognizer _recognizer = null!;
    private PaddleTextDetector _detector = null!;

    [OneTimeSetUp]
    public void Load()
    {
        OpenCvSharp.Cv2.SetNumThreads(1);
        var files = ModelFiles.Locate(new VisionOptions());
        _recognizer = new PlateNetRecognizer(files.PlateModel);
        _detector = new PaddleTextDetector(files.DetectionModel);
        _fonts = PlateFonts.Load();
        _generator = new PlateSceneGenerator(_fonts);
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _recognizer.Dispose();
        _detector.Dispose();
        _fonts.Dispose();
    }

    [Test]
    public void The_committed_model_names_its_alphabet_and_training_step()
    {
        Assert.That(_recognizer.Step, Is.Not.Null.And.Not.Empty);
    }

    /// <summary>
    /// Most plates cut from generated scenes are read exactly; every emitted character carries its alternatives,
    /// best first, the best being the character read.
    /// </summary>
    [Test]
    public void Reads_plates_cut_from_generated_scenes_with_ranked_alternatives()
    {
        var styles = new[] { PlateStyle.EuWhite, PlateStyle.EuYellow };
        var exact = 0;
        const int count = 16;
        for (var i = 0; i < count; i++)
        {
            var scene = _generator.RenderRandom(styles[i % 2], 7100 + i);
            using var image = Cv2.ImDecode(scene.Jpeg, ImreadModes.Color);
            using var crop = CutPlate(image, scene, 0.04f, 0.1f);
            var text = _recognizer.Recognize(crop);
            exact += text.Text == scene.Plate ? 1 : 0;

            Assert.That(text.Characters, Is.Not.Null);
            Assert.That(text.Characters!, Has.Count.EqualTo(text.Text.Length));
            for (var k = 0; k < text.Text.Length; k++)
            {
                var options = text.Characters![k].Options;
                Assert.That(options[0].Char, Is.EqualTo(text.Text[k]));
                Assert.That(options.Select(o => o.Probability), Is.Ordered.Descending);
                Assert.That(options.Select(o => o.Char), Is.Unique);
                Assert.That(options.Sum(o => o.Probability) + text.Characters[k].Blank, Is.LessThanOrEqualTo(1.0001f));
            }
        }
        Assert.That(exact, Is.GreaterThanOrEqualTo(count * 3 / 4), $"{exact}/{count} read exactly");
    }

    [Test]
    public void An_empty_or_tiny_crop_reads_nothing()
    {
        using var empty = new Mat();
        using var tiny = new Mat(3, 3, MatType.CV_8UC3, OpenCvSharp.Scalar.White);
        Assert.That(_recognizer.Recognize(empty).Text, Is.Empty);
        Assert.That(_recognizer.Recognize(tiny).Text, Is.Empty);
    }

    /// <summary>The detector, run over the whole image, finds a text line over the plate in nearly every scene.</summary>
    [Test]
    public void The_text_detector_finds_the_plate_in_whole_scenes()
    {
        var found = 0;
        const int count = 8;
        for (var i = 0; i < count; i++)
        {
            var scene = _generator.RenderRandom(i % 2 == 0 ? PlateStyle.EuWhite : PlateStyle.CnBlue, 7300 + i);
            using var image = Cv2.ImDecode(scene.Jpeg, ImreadModes.Color);
            var lines = _detector.Detect(image, 640);
            var centre = new Point2f(scene.PlateCorners.Average(p => p.X), scene.PlateCorners.Average(p => p.Y));
            found += lines.Any(l => Cv2.PointPolygonTest(l.Box.Points(), centre, false) >= 0) ? 1 : 0;
            Assert.That(lines.Select(l => l.Score), Is.All.InRange(0.0, 1.0));
        }
        Assert.That(found, Is.GreaterThanOrEqualTo(count - 1), $"plate found in {found}/{count} scenes");
    }

    [Test]
    public void The_text_detector_finds_nothing_in_a_blank_image()
    {
        using var grey = new Mat(360, 640, MatType.CV_8UC3, new OpenCvSharp.Scalar(128, 128, 128));
        Assert.That(_detector.Detect(grey, 640), Is.Empty);
    }

    private static Mat CutPlate(Mat image, PlateScene scene, float padX, float padY)
    {
        var xs = scene.PlateCorners.Select(p => p.X).ToList();
        var ys = scene.PlateCorners.Select(p => p.Y).ToList();
        float w = xs.Max() - xs.Min(), h = ys.Max() - ys.Min();
        var rect = new Rect((int)(xs.Min() - w * padX), (int)(ys.Min() - h * padY), (int)(w * (1 + 2 * padX)), (int)(h * (1 + 2 * padY)))
            & new Rect(0, 0, image.Width, image.Height);
        return new Mat(image, rect).Clone();
    }
}
