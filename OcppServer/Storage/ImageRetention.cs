using Microsoft.Extensions.Options;
using OcppServer.Authorization.PreVerification;

namespace OcppServer.Storage;

public sealed class ImageRetentionOptions
{
    public const string Section = "Storage:Images";

    /// <summary>Camera images are deleted this many days after capture; their pre-verification records stay.</summary>
    public int RetentionDays { get; set; } = 7;
}

/// <summary>
/// Deletes camera images past retention (hourly), a burst's frames with their record, and clears their paths; then
/// the day folders past retention with any image no record named.
/// </summary>
public sealed class ImageRetention(
    IPreVerificationStore records,
    ICapturePassageStore passages,
    ImageStore images,
    IOptionsMonitor<ImageRetentionOptions> options,
    TimeProvider time,
    ILogger<ImageRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                int purged = await PurgeAsync(stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Purged {Count} camera images older than {Days} days", purged, options.CurrentValue.RetentionDays);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().AddDays(-options.CurrentValue.RetentionDays);
        int purged = 0;
        IReadOnlyList<PreVerificationRecord> batch;
        do
        {
            batch = await records.ListWithImagesBeforeAsync(before, 500, cancellationToken);
            foreach (var record in batch)
            {
                images.Delete(record.ImagePath!);
                foreach (var frame in await passages.ListFramesAsync(record.Id, cancellationToken))
                {
                    if (frame.ImagePath is { } framePath && framePath != record.ImagePath)
                    {
                        images.Delete(framePath);
                    }
                }

                await records.ForgetImageAsync(record.Id, cancellationToken);
                purged++;
            }
        }
        while (batch.Count == 500);

        // What is left in the day folders before the cutoff's day belongs to no record (a refused burst's frames).
        int orphans = images.DeleteDaysBefore(DateOnly.FromDateTime(before.UtcDateTime));
        if (orphans > 0)
        {
            logger.LogInformation("Deleted {Count} camera images past retention that no record named", orphans);
        }

        return purged;
    }
}
