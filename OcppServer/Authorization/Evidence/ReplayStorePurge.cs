
namespace OcppServer.Authorization.Evidence;

/// <summary>Removes token ids whose tokens have expired: the replay store only needs to outlive the tokens.</summary>
public sealed class ReplayStorePurge(IEvidenceStore evidence, TimeProvider time, ILogger<ReplayStorePurge> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                int purged = await evidence.PurgeExpiredJtisAsync(time.GetUtcNow(), stoppingToken);
                logger.LogDebug("Purged {Count} expired token ids", purged);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
