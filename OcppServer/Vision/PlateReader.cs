using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OcppServer.Vision;

/// <summary>
/// The plate reader: runs <see cref="PlateReadingPipeline"/> on a bounded pool of <see cref="VisionOptions.WorkerCount"/>
/// workers with a queue of <see cref="VisionOptions.QueueLimit"/>, so a burst of images uses at most that many cores
/// and never starves the OCPP traffic; past the queue it throws <see cref="PlateReaderBusyException"/>.
/// Constructing it throws when the model files are missing; the model is loaded on the first image.
/// </summary>
public sealed class PlateReader : IPlateReader, IDisposable
{
    private readonly Lazy<PlateReadingPipeline> _pipeline;
    private readonly ConcurrencyLimiter _workers;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger<PlateReader> _logger;
    private readonly IPlateReaderTelemetry? _telemetry;

    public PlateReader(
        IOptions<VisionOptions> options, PlateFormats formats, TimeProvider time, ILogger<PlateReader> logger, IPlateReaderTelemetry? telemetry = null)
    {
        var o = options.Value;
        _logger = logger;
        _telemetry = telemetry;
        _retryAfter = TimeSpan.FromSeconds(Math.Max(1, o.RetryAfterSeconds));
        // The model files and OpenCV's system libraries are checked now (fail fast); OpenCV and the model are loaded
        // on the first image, so a server whose cameras are idle does not carry ONNX Runtime's and OpenCV's working set.
        ModelFiles.Locate(o);
        NativeDependencies.EnsurePresent();
        _pipeline = new Lazy<PlateReadingPipeline>(() =>
        {
            // OpenCV's own thread pool is process-wide; one thread per image keeps each worker on one core.
            OpenCvSharp.Cv2.SetNumThreads(1);
            return new PlateReadingPipeline(o, formats, time);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        _workers = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, o.WorkerCount),
            QueueLimit = Math.Max(0, o.QueueLimit),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        logger.LogInformation("Plate reader ready: {Workers} worker(s), queue {Queue}, formats {Formats}",
            o.WorkerCount, o.QueueLimit, string.Join(", ", formats.Enabled.Select(f => f.Name)));
    }

    /// <summary>Whether the recognition model is loaded (it is on the first image; its files were found at start).</summary>
    public bool ModelLoaded => _pipeline.IsValueCreated;

    public Task<PlateReading> ReadAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken ct) => ReadAsync(encodedImage, null, ct);

    public async Task<PlateReading> ReadAsync(ReadOnlyMemory<byte> encodedImage, PlateFormatOrder? formats, CancellationToken ct)
    {
        RateLimitLease lease;
        _telemetry?.QueueChanged(1);
        try
        {
            lease = await _workers.AcquireAsync(1, ct);
        }
        finally
        {
            _telemetry?.QueueChanged(-1);
        }

        using var held = lease;
        if (!lease.IsAcquired)
        {
            _logger.LogWarning("Plate reader queue full; refusing an image");
            throw new PlateReaderBusyException(_retryAfter);
        }
        // The pipeline is CPU-bound and synchronous: run it off the caller's thread, one image per permit.
        long started = Stopwatch.GetTimestamp();
        var reading = await Task.Run(() => _pipeline.Value.Read(encodedImage.Span, formats, ct), ct);
        _telemetry?.Read(reading.Outcome, Stopwatch.GetElapsedTime(started));
        _logger.LogDebug("Plate reading {Outcome} {Plate} {Confidence} in {Ms} ms", reading.Outcome, reading.Plate, reading.Confidence, reading.Timings.TotalMs);
        return reading;
    }

    /// <summary>Reads an image that is already a tight plate crop (skips the quality gate and localisation).</summary>
    internal PlateReading ReadCrop(ReadOnlySpan<byte> encodedCrop) => _pipeline.Value.ReadCrop(encodedCrop);

    internal PlateReading ReadNow(ReadOnlySpan<byte> encodedImage, PlateFormatOrder? formats = null) =>
        _pipeline.Value.Read(encodedImage, formats, CancellationToken.None);

    public void Dispose()
    {
        _workers.Dispose();
        if (_pipeline.IsValueCreated)
        {
            _pipeline.Value.Dispose();
        }
    }
}
