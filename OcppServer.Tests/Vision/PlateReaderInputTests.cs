using System.Buffers.Binary;
using ChargePointSimulator.Camera;
using OcppServer.Vision;
using OpenCvSharp;

namespace OcppServer.Tests.Vision;

/// <summary>Images the reader must refuse or report as unreadable, and how it behaves under load and without its model.</summary>
public sealed class PlateReaderInputTests
{
    private PlateReader _reader = null!;
    private PlateFonts _fonts = null!;

    [OneTimeSetUp]
    public void CreateReader()
    {
        _reader = VisionTestReader.Create();
        _fonts = PlateFonts.Load();
    }

    [OneTimeTearDown]
    public void DisposeReader()
    {
        _reader.Dispose();
        _fonts.Dispose();
    }

    [Test]
    public async Task Bad_bytes_are_not_an_image()
    {
        var reading = await _reader.ReadAsync("definitely not a picture"u8.ToArray(), CancellationToken.None);
        AssertUnusable(reading, ImageProblem.NotAnImage, PlateReasons.UnknownFormat);

        reading = await _reader.ReadAsync(Array.Empty<byte>(), CancellationToken.None);
        AssertUnusable(reading, ImageProblem.NotAnImage, PlateReasons.Empty);
    }

    [Test]
    public async Task Truncated_jpeg_is_refused()
    {
        var jpeg = Scene().Jpeg;
        var reading = await _reader.ReadAsync(jpeg.AsMemory(0, jpeg.Length / 2), CancellationToken.None);
        AssertUnusable(reading, ImageProblem.NotAnImage, PlateReasons.Truncated);
    }

    [Test]
    public async Task Huge_dimensions_are_refused_before_decoding()
    {
        // A valid PNG of 1×1 whose header then claims 60000×60000 pixels.
        using var tiny = new Mat(1, 1, MatType.CV_8UC3, OpenCvSharp.Scalar.All(128));
        var png = tiny.ImEncode(".png");
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 60000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 60000);
        var reading = await _reader.ReadAsync(png, CancellationToken.None);
        AssertUnusable(reading, ImageProblem.TooLarge, PlateReasons.TooManyPixels);
    }

    [Test]
    public async Task Zero_size_and_tiny_images_are_refused()
    {
        using var tiny = new Mat(1, 1, MatType.CV_8UC3, OpenCvSharp.Scalar.All(128));
        var png = tiny.ImEncode(".png");
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 0);
        AssertUnusable(await _reader.ReadAsync(png, CancellationToken.None), ImageProblem.NotAnImage, PlateReasons.ZeroSize);

        using var small = new Mat(20, 30, MatType.CV_8UC3, OpenCvSharp.Scalar.All(128));
        AssertUnusable(await _reader.ReadAsync(small.ImEncode(".png"), CancellationToken.None), ImageProblem.TooSmall, PlateReasons.TooSmall);
    }

    [Test]
    public async Task Too_many_bytes_are_refused()
    {
        using var reader = VisionTestReader.Create(new VisionOptions { MaxImageBytes = 1000 });
        var reading = await reader.ReadAsync(Scene().Jpeg, CancellationToken.None);
        AssertUnusable(reading, ImageProblem.TooLarge, PlateReasons.TooManyBytes);
    }

    [Test]
    public async Task Black_image_is_too_dark()
    {
        using var black = new Mat(720, 1280, MatType.CV_8UC3, OpenCvSharp.Scalar.All(0));
        var reading = await _reader.ReadAsync(black.ImEncode(".jpg"), CancellationToken.None);
        AssertUnusable(reading, ImageProblem.TooDark, PlateReasons.TooDark);
    }

    [Test]
    public async Task Blank_image_has_no_plate()
    {
        using var blank = new Mat(720, 1280, MatType.CV_8UC3, new OpenCvSharp.Scalar(180, 180, 180));
        var reading = await _reader.ReadAsync(blank.ImEncode(".png"), CancellationToken.None);
        Assert.That(reading.Outcome, Is.Not.EqualTo(PlateReadOutcome.Read));
        Assert.That(reading.Plate, Is.Null);
        Assert.That(reading.Reasons, Is.Not.Empty);
    }

    [Test]
    public async Task Heavily_blurred_scene_is_too_blurred()
    {
        using var scene = Cv2.ImDecode(Scene().Jpeg, ImreadModes.Color);
        using var blurred = new Mat();
        Cv2.GaussianBlur(scene, blurred, new Size(0, 0), 12);
        var reading = await _reader.ReadAsync(blurred.ImEncode(".jpg"), CancellationToken.None);
        AssertUnusable(reading, ImageProblem.TooBlurred, PlateReasons.TooBlurred);
        Assert.That(reading.Quality!.BlurVariance, Is.LessThan(new VisionOptions().MinBlurVariance));
    }

    [Test]
    public async Task Burst_past_the_queue_limit_is_refused_with_retry_after()
    {
        using var reader = VisionTestReader.Create(new VisionOptions { WorkerCount = 1, QueueLimit = 1 });
        var jpeg = Scene().Jpeg;
        var reads = Enumerable.Range(0, 6).Select(_ => reader.ReadAsync(jpeg, CancellationToken.None)).ToList();
        var busy = 0;
        foreach (var read in reads)
        {
            try
            {
                await read;
            }
            catch (PlateReaderBusyException e)
            {
                busy++;
                Assert.That(e.RetryAfter, Is.GreaterThan(TimeSpan.Zero));
            }
        }
        Assert.That(busy, Is.GreaterThanOrEqualTo(1));
        Assert.That(busy, Is.LessThanOrEqualTo(4), "one runs and one waits");
    }

    [Test]
    public void Missing_model_fails_fast_naming_the_setup_command()
    {
        var options = new VisionOptions { ModelDirectory = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid()) };
        var error = Assert.Throws<FileNotFoundException>(() => VisionTestReader.Create(options));
        Assert.That(error!.Message, Does.Contain("scripts/setup.sh"));
    }

    private PlateScene Scene() => new PlateSceneGenerator(_fonts).Render("AB12CDE", PlateStyle.EuWhite, seed: 7);

    private static void AssertUnusable(PlateReading reading, ImageProblem problem, string reason)
    {
        Assert.That(reading.Outcome, Is.EqualTo(PlateReadOutcome.ImageUnusable));
        Assert.That(reading.Problem, Is.EqualTo(problem));
        Assert.That(reading.Reasons, Does.Contain(reason));
        Assert.That(reading.Plate, Is.Null);
    }
}
