using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// The synchronous, CPU-bound reading of one image: decode → quality gate → localise candidates → rectify →
/// recognise → normalise → validate against the enabled formats → confidence. Thread-safe; <see cref="PlateReader"/>
/// runs it on its bounded worker pool.
/// </summary>
internal sealed class PlateReadingPipeline : IDisposable
{
    /// <summary>A reading this sure ends the search through further candidates.</summary>
    private const double GoodEnough = 0.9;

    /// <summary>Each look-alike character the format had to swap costs this factor of confidence.</summary>
    private const double SubstitutionPenalty = 0.9;

    private readonly VisionOptions _options;
    private readonly PlateFormats _formats;
    private readonly TimeProvider _time;
    private readonly PlateImageDecoder _decoder;
    private readonly ImageQualityGate _quality;
    private readonly PlateLocalizer _localizer = new();
    private readonly PlateRectifier _rectifier = new();
    private readonly PaddleTextRecognizer _recognizer;

    public PlateReadingPipeline(VisionOptions options, PlateFormats formats, TimeProvider time)
    {
        _options = options;
        _formats = formats;
        _time = time;
        _decoder = new PlateImageDecoder(options);
        _quality = new ImageQualityGate(options);
        _recognizer = new PaddleTextRecognizer(ModelFiles.Locate(options));
    }

    public PlateReading Read(ReadOnlySpan<byte> encoded, CancellationToken ct)
    {
        var start = _time.GetTimestamp();
        var decoded = _decoder.Decode(encoded);
        var decodeMs = Elapsed(start);
        if (decoded.Image is null)
        {
            return Unusable(decoded.Problem, decoded.Reason!, null, new PlateReadTimings(decodeMs, 0, 0, 0, Elapsed(start)));
        }
        using var image = decoded.Image;

        var mark = _time.GetTimestamp();
        var (quality, problem, reason) = _quality.Check(image);
        var qualityMs = Elapsed(mark);
        if (problem != ImageProblem.None)
        {
            return Unusable(problem, reason!, quality, new PlateReadTimings(decodeMs, qualityMs, 0, 0, Elapsed(start)));
        }
        ct.ThrowIfCancellationRequested();

        mark = _time.GetTimestamp();
        var candidates = _localizer.Find(image, _options.MaxCandidates);
        var localiseMs = Elapsed(mark);
        if (candidates.Count == 0)
        {
            return new PlateReading(PlateReadOutcome.NoPlateFound, null, null, 0, null, ImageProblem.None, quality,
                new PlateReadTimings(decodeMs, qualityMs, localiseMs, 0, Elapsed(start)), [PlateReasons.NoCandidates]);
        }

        mark = _time.GetTimestamp();
        Attempt? best = null;
        string? bestRaw = null;
        foreach (var candidate in candidates)
        {
            ct.ThrowIfCancellationRequested();
            using var plate = _rectifier.Rectify(image, candidate);
            if (plate is null)
            {
                continue;
            }
            var attempt = Recognize(plate.Crop, plate.Quad);
            bestRaw ??= attempt.Raw.Length > 0 ? attempt.Raw : null;
            if (attempt.Fit is not null && (best is null || attempt.Confidence > best.Confidence))
            {
                best = attempt;
                if (best.Confidence >= GoodEnough)
                {
                    break;
                }
            }
        }
        var timings = new PlateReadTimings(decodeMs, qualityMs, localiseMs, Elapsed(mark), Elapsed(start));
        return best is null
            ? new PlateReading(PlateReadOutcome.NoPlateFound, null, null, 0, null, ImageProblem.None, quality, timings, [PlateReasons.NoValidText], bestRaw)
            : ToReading(best, quality, timings);
    }

    /// <summary>Reads an image that is already a tight plate crop (no localisation), e.g. from a camera that crops.</summary>
    public PlateReading ReadCrop(ReadOnlySpan<byte> encoded)
    {
        var start = _time.GetTimestamp();
        using var image = Cv2.ImDecode(encoded, ImreadModes.Color);
        if (image.Empty())
        {
            return Unusable(ImageProblem.NotAnImage, PlateReasons.Undecodable, null, PlateReadTimings.None);
        }
        var decodeMs = Elapsed(start);
        var mark = _time.GetTimestamp();
        Point2f[] quad = [new(0, 0), new(image.Width, 0), new(image.Width, image.Height), new(0, image.Height)];
        var attempt = Recognize(image, quad);
        var timings = new PlateReadTimings(decodeMs, 0, 0, Elapsed(mark), Elapsed(start));
        var quality = new ImageQuality(image.Width, image.Height, 0, 0);
        return attempt.Fit is null
            ? new PlateReading(PlateReadOutcome.NoPlateFound, null, null, 0, null, ImageProblem.None, quality, timings, [PlateReasons.NoValidText], attempt.Raw)
            : ToReading(attempt, quality, timings);
    }

    private Attempt Recognize(Mat crop, Point2f[] quad)
    {
        var text = _recognizer.Recognize(crop);
        var raw = PlateText.Normalize(text.Text);
        var fit = _formats.Fit(raw);
        var confidence = fit is null ? 0 : text.Confidence * Math.Pow(SubstitutionPenalty, fit.Substitutions);
        return new Attempt(raw, fit, confidence, quad);
    }

    private PlateReading ToReading(Attempt attempt, ImageQuality quality, PlateReadTimings timings)
    {
        var fit = attempt.Fit!;
        var reasons = new List<string> { PlateReasons.PlateRead, PlateReasons.Format(fit.Format.Name) };
        if (fit.Substitutions > 0)
        {
            reasons.Add(PlateReasons.LookAlikeResolved);
        }
        if (attempt.Confidence < _options.MinConfidence)
        {
            reasons.Add(PlateReasons.LowConfidence);
        }
        var quad = attempt.Quad.Select(p => new PlatePoint(p.X, p.Y)).ToList();
        return new PlateReading(PlateReadOutcome.Read, fit.Plate, fit.Format.Name, Math.Round(attempt.Confidence, 4), quad,
            ImageProblem.None, quality, timings, reasons, attempt.Raw);
    }

    private static PlateReading Unusable(ImageProblem problem, string reason, ImageQuality? quality, PlateReadTimings timings) =>
        new(PlateReadOutcome.ImageUnusable, null, null, 0, null, problem, quality, timings, [reason]);

    private double Elapsed(long since) => Math.Round(_time.GetElapsedTime(since).TotalMilliseconds, 2);

    public void Dispose() => _recognizer.Dispose();

    private sealed record Attempt(string Raw, PlateFit? Fit, double Confidence, Point2f[] Quad);
}
