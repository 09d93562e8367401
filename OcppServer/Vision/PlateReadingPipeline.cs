using OpenCvSharp;

namespace OcppServer.Vision;

/// <summary>
/// The synchronous, CPU-bound reading of one image: decode → quality gate → localise candidates → rectify →
/// recognise → decode against the station's formats → confidence. Each candidate is read by the project's plate
/// recogniser (<see cref="PlateNetRecognizer"/>) at two crop paddings (a tight crop drops first or last letters, a
/// loose one brings in the car) and by the general PP-OCRv4 recogniser; one leads (<see cref="VisionOptions.PrimaryRecognizer"/>),
/// the other is its second opinion: agreement raises the confidence, disagreement lowers it (<see cref="SecondOpinion"/>).
/// Where no candidate is sure, the PP-OCRv4 text detector finds more, and the plate most candidates read wins
/// (<see cref="CandidateVote"/>). Thread-safe; <see cref="PlateReader"/> runs it on its bounded worker pool.
/// </summary>
internal sealed class PlateReadingPipeline : IDisposable
{
    /// <summary>A reading this sure ends the search through further candidates.</summary>
    private const double GoodEnough = 0.9;

    /// <summary>Each look-alike character the format had to swap costs this factor of confidence.</summary>
    private const double SubstitutionPenalty = 0.9;

    /// <summary>How many of the fast localiser's candidates the text detector searches around.</summary>
    private const int RegionsSearched = 2;

    /// <summary>Longer side, pixels, of a candidate's surroundings as the text detector sees them.</summary>
    internal const int RegionMaxSide = 320;

    /// <summary>Detected lines lower than this, in image pixels, cannot be read.</summary>
    private const float MinTextHeight = 8;

    /// <summary>
    /// The crop paddings the plate recogniser reads, as (horizontal, vertical) shares of the rectified character row's
    /// width and height added on each side: the row as found, and a looser crop with some plate and car around it.
    /// </summary>
    private static readonly (float X, float Y)[] Paddings = [(0f, 0f), (0.08f, 0.3f)];

    private readonly VisionOptions _options;
    private readonly PlateFormatOrder _defaultOrder;
    private readonly PlateFormatDecoder _decoder = new();
    private readonly TimeProvider _time;
    private readonly PlateImageDecoder _imageDecoder;
    private readonly ImageQualityGate _quality;
    private readonly PlateLocalizer _localizer = new();
    private readonly PlateRectifier _rectifier = new();
    private readonly PaddleTextDetector _detector;
    private readonly PaddleTextRecognizer _ppOcr;
    private readonly PlateNetRecognizer _plateNet;

    public PlateReadingPipeline(VisionOptions options, PlateFormats formats, TimeProvider time)
    {
        _options = options;
        // Without a station: the formats enabled in Vision:Formats, all of equal rank.
        _defaultOrder = new PlateFormatOrder(null, [.. formats.Enabled.Select(f => new RankedPlateFormat(f,
            f.Name == PlateFormatCatalogue.GenericCode ? PlateFormatRank.Generic : PlateFormatRank.Region))]);
        _time = time;
        _imageDecoder = new PlateImageDecoder(options);
        _quality = new ImageQualityGate(options);
        var files = ModelFiles.Locate(options);
        _ppOcr = new PaddleTextRecognizer(files);
        _detector = new PaddleTextDetector(files.DetectionModel);
        _plateNet = new PlateNetRecognizer(files.PlateModel);
    }

    /// <summary>Reads the plate in an encoded image, decoding against <paramref name="order"/> (null: the enabled formats).</summary>
    public PlateReading Read(ReadOnlySpan<byte> encoded, PlateFormatOrder? order, CancellationToken ct)
    {
        order ??= _defaultOrder;
        var start = _time.GetTimestamp();
        var decoded = _imageDecoder.Decode(encoded);
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

        mark = _time.GetTimestamp();
        string? bestRaw = null;
        var readings = new List<CandidateReading>();
        var best = ReadCandidates(image, candidates, null, order, ref bestRaw, readings, ct);
        var recogniseMs = Elapsed(mark);
        if (best is null || best.Confidence < GoodEnough)
        {
            // The fast localiser found nothing sure: ask the text detector, around its best candidates and over the whole image.
            mark = _time.GetTimestamp();
            var detected = DetectText(image, candidates);
            localiseMs += Elapsed(mark);
            mark = _time.GetTimestamp();
            best = ReadCandidates(image, detected, best, order, ref bestRaw, readings, ct);
            recogniseMs += Elapsed(mark);
            if (best is not null && best.Confidence < GoodEnough)
            {
                // Nothing sure: the plate most candidates read wins over a single surer misreading.
                best = CandidateVote.Choose(readings);
            }
            if (best is null && candidates.Count == 0 && detected.Count == 0)
            {
                return new PlateReading(PlateReadOutcome.NoPlateFound, null, null, 0, null, ImageProblem.None, quality,
                    new PlateReadTimings(decodeMs, qualityMs, localiseMs, recogniseMs, Elapsed(start)), [PlateReasons.NoCandidates]);
            }
        }
        var timings = new PlateReadTimings(decodeMs, qualityMs, localiseMs, recogniseMs, Elapsed(start));
        return best is null
            ? new PlateReading(PlateReadOutcome.NoPlateFound, null, null, 0, null, ImageProblem.None, quality, timings, [PlateReasons.NoValidText], bestRaw)
            : ToReading(best, quality, timings);
    }

    /// <summary>
    /// Reads candidates in order until one is <see cref="GoodEnough"/>; returns the surest fitting reading, and adds
    /// every candidate's readings to <paramref name="readings"/>.
    /// </summary>
    private PlateAttempt? ReadCandidates(
        Mat image, List<PlateCandidate> candidates, PlateAttempt? best, PlateFormatOrder order, ref string? bestRaw,
        List<CandidateReading> readings, CancellationToken ct)
    {
        foreach (var candidate in candidates)
        {
            ct.ThrowIfCancellationRequested();
            using var plate = _rectifier.Rectify(image, candidate);
            if (plate is null)
            {
                continue;
            }
            var reading = ReadCandidate(image, plate, order);
            var attempt = reading.Combined;
            bestRaw ??= attempt.Raw.Length > 0 ? attempt.Raw : null;
            readings.Add(reading);
            if (attempt.Fit is not null && (best is null || attempt.Confidence > best.Confidence))
            {
                best = attempt;
                if (best.Confidence >= GoodEnough)
                {
                    break;
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Plate-shaped text lines from the PP-OCRv4 detector: in a region around each of the fast localiser's first
    /// candidates (at a resolution where a plate's characters are large) and over the whole image, most probable
    /// first, overlapping ones merged, at most <see cref="VisionOptions.MaxCandidates"/>.
    /// </summary>
    private List<PlateCandidate> DetectText(Mat image, List<PlateCandidate> near)
    {
        var found = new List<DetectedText>();
        foreach (var candidate in near.Take(RegionsSearched))
        {
            if (SearchRegion(candidate.Box, image) is not { } region)
            {
                continue;
            }
            using var part = new Mat(image, region);
            found.AddRange(_detector.Detect(part, RegionMaxSide).Select(d => d with
            {
                Box = new RotatedRect(new Point2f(d.Box.Center.X + region.X, d.Box.Center.Y + region.Y), d.Box.Size, d.Box.Angle),
            }));
        }
        found.AddRange(_detector.Detect(image, _options.DetectionMaxSide));

        var kept = new List<PlateCandidate>();
        foreach (var text in found.OrderByDescending(d => d.Score))
        {
            var size = text.Box.Size;
            var aspect = size.Width / Math.Max(1f, size.Height);
            if (size.Height < MinTextHeight || aspect is < 1.2f or > 12f)
            {
                continue;
            }
            var bounds = text.Box.BoundingRect();
            if (kept.Any(k => PlateLocalizer.Overlap(k.Box.BoundingRect(), bounds) > 0.5))
            {
                continue;
            }
            kept.Add(new PlateCandidate(text.Box, text.Score, "text-detector", IsTextRow: true));
            if (kept.Count == _options.MaxCandidates)
            {
                break;
            }
        }
        return kept;
    }

    /// <summary>
    /// The surroundings of a candidate the text detector searches (2.4 × its width, 4 × its height, within the image);
    /// null when that is too small to search.
    /// </summary>
    internal static Rect? SearchRegion(RotatedRect box, Mat image)
    {
        var region = new Rect(
            (int)(box.Center.X - box.Size.Width * 1.2f), (int)(box.Center.Y - box.Size.Height * 2f),
            (int)(box.Size.Width * 2.4f), (int)(box.Size.Height * 4f)) & new Rect(0, 0, image.Width, image.Height);
        return region.Width < 16 || region.Height < 16 ? null : region;
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
        var plateNet = Recognize(_plateNet.Recognize(image), quad, _defaultOrder);
        var ppOcr = Recognize(_ppOcr.Recognize(image), quad, _defaultOrder);
        var attempt = _options.PrimaryRecognizer == PlateRecognizerKind.PlateNet
            ? SecondOpinion.Combine(plateNet, ppOcr)
            : SecondOpinion.Combine(ppOcr, plateNet);
        var timings = new PlateReadTimings(decodeMs, 0, 0, Elapsed(mark), Elapsed(start));
        var quality = new ImageQuality(image.Width, image.Height, 0, 0);
        return attempt.Fit is null
            ? new PlateReading(PlateReadOutcome.NoPlateFound, null, null, 0, null, ImageProblem.None, quality, timings, [PlateReasons.NoValidText], attempt.Raw)
            : ToReading(attempt, quality, timings);
    }

    /// <summary>Reads one rectified candidate at each padding with the plate recogniser, then asks the second opinion.</summary>
    private CandidateReading ReadCandidate(Mat image, RectifiedPlate plate, PlateFormatOrder order)
    {
        PlateAttempt? plateNet = null;
        foreach (var padding in Paddings)
        {
            using var crop = CropQuad(image, plate.Quad, padding);
            if (crop is null)
            {
                continue;
            }
            var attempt = Recognize(_plateNet.Recognize(crop), plate.Quad, order);
            if (plateNet is null || Better(attempt, plateNet))
            {
                plateNet = attempt;
            }
        }
        var ppOcr = Recognize(_ppOcr.Recognize(plate.Crop), plate.Quad, order);
        plateNet ??= ppOcr with { Confidence = 0, Fit = null, Characters = null };
        var (own, second) = _options.PrimaryRecognizer == PlateRecognizerKind.PlateNet ? (plateNet, ppOcr) : (ppOcr, plateNet);
        return new CandidateReading(SecondOpinion.Combine(own, second), own, second);
    }

    private static bool Better(PlateAttempt a, PlateAttempt b) =>
        (a.Fit is not null, a.Confidence).CompareTo((b.Fit is not null, b.Confidence)) > 0;

    /// <summary>
    /// The quadrilateral grown by <paramref name="padding"/> on each side and warped to a rectangle at its own
    /// resolution (the recogniser scales it down with an area filter). Null when it is too small to hold a plate.
    /// </summary>
    private static Mat? CropQuad(Mat image, Point2f[] quad, (float X, float Y) padding)
    {
        var top = Distance(quad[0], quad[1]);
        var bottom = Distance(quad[3], quad[2]);
        var left = Distance(quad[0], quad[3]);
        var right = Distance(quad[1], quad[2]);
        var width = Math.Max(top, bottom) * (1 + 2 * padding.X);
        var height = Math.Max(left, right) * (1 + 2 * padding.Y);
        if (width < 12 || height < 6)
        {
            return null;
        }
        var grown = Grow(quad, padding);
        Point2f[] target = [new(0, 0), new(width, 0), new(width, height), new(0, height)];
        using var perspective = Cv2.GetPerspectiveTransform(grown, target);
        var crop = new Mat();
        Cv2.WarpPerspective(image, crop, perspective, new Size((int)Math.Ceiling(width), (int)Math.Ceiling(height)),
            InterpolationFlags.Linear, BorderTypes.Replicate);
        return crop;
    }

    /// <summary>Moves each corner away from the opposite sides by the padding's share of the quad's width and height.</summary>
    private static Point2f[] Grow(Point2f[] q, (float X, float Y) padding)
    {
        if (padding is { X: 0, Y: 0 })
        {
            return q;
        }
        var across = (q[1] - q[0] + (q[2] - q[3])) * 0.5f;   // left → right
        var down = (q[3] - q[0] + (q[2] - q[1])) * 0.5f;     // top → bottom
        var dx = across * padding.X;
        var dy = down * padding.Y;
        return [q[0] - dx - dy, q[1] + dx - dy, q[2] + dx + dy, q[3] - dx + dy];
    }

    private static float Distance(Point2f a, Point2f b) => (float)Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>
    /// Fits a recogniser's text to the formats: with per-character options (the plate recogniser), the
    /// <see cref="PlateFormatDecoder"/> takes letter↔digit alternatives from the model's own probabilities and may skip
    /// one weak character, and its score is the confidence; without them (the second opinion), the text is fitted with
    /// the look-alike table and each swap costs <see cref="SubstitutionPenalty"/>.
    /// </summary>
    private PlateAttempt Recognize(TextRecognition text, Point2f[] quad, PlateFormatOrder order)
    {
        var raw = PlateText.Normalize(text.Text);
        if (text.Characters is { Count: > 0 } characters && characters.Count == text.Text.Length)
        {
            if (_decoder.Decode(characters, order) is not { } decoding)
            {
                return new PlateAttempt(raw, null, 0, quad, characters);
            }
            IReadOnlyList<CharacterOptions> kept = decoding.SkippedPosition is { } skipped
                ? [.. characters.Where((_, i) => i != skipped)]
                : characters;
            return new PlateAttempt(raw, new PlateFit(decoding.Format, decoding.Template, decoding.Plate, decoding.Substitutions), decoding.Score, quad, kept,
                Skipped: decoding.SkippedPosition is not null, Prior: PlateFormatDecoder.Prior(decoding.Rank));
        }
        var fit = order.ToPlateFormats().Fit(raw);
        var confidence = fit is null ? 0 : text.Confidence * Math.Pow(SubstitutionPenalty, fit.Substitutions);
        var rank = fit is null ? PlateFormatRank.Generic : order.Formats.FirstOrDefault(f => f.Format == fit.Format)?.Rank ?? PlateFormatRank.Generic;
        return new PlateAttempt(raw, fit, confidence, quad, null, Prior: PlateFormatDecoder.Prior(rank));
    }

    private PlateReading ToReading(PlateAttempt attempt, ImageQuality quality, PlateReadTimings timings)
    {
        var fit = attempt.Fit!;
        var reasons = new List<string> { PlateReasons.PlateRead, PlateReasons.Format(fit.Format.Name) };
        if (attempt.Opinion is not null)
        {
            reasons.Add(attempt.Opinion);
        }
        if (attempt.Skipped)
        {
            reasons.Add(PlateReasons.WeakCharacterSkipped);
        }
        if (attempt.WonVote)
        {
            reasons.Add(PlateReasons.CandidatesVoted);
        }
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
            ImageProblem.None, quality, timings, reasons, attempt.Raw,
            attempt.Characters is { } characters && characters.Count == fit.Plate.Length ? characters : null);
    }

    private static PlateReading Unusable(ImageProblem problem, string reason, ImageQuality? quality, PlateReadTimings timings) =>
        new(PlateReadOutcome.ImageUnusable, null, null, 0, null, problem, quality, timings, [reason]);

    private double Elapsed(long since) => Math.Round(_time.GetElapsedTime(since).TotalMilliseconds, 2);

    public void Dispose()
    {
        _plateNet.Dispose();
        _ppOcr.Dispose();
        _detector.Dispose();
    }
}
