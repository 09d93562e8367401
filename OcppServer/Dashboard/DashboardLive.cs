using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace OcppServer.Dashboard;

/// <summary>
/// <c>GET /live/overview</c>: the overview as server-sent events (one <c>overview</c> event every
/// <see cref="OverviewSnapshots.MaxAge"/>), for a signed-in account. The page works without it; the stream only keeps
/// it current.
/// </summary>
public static class DashboardLive
{
    public static void MapDashboardLive(this WebApplication app) =>
        app.MapGet("/live/overview", (OverviewSnapshots snapshots, TimeProvider time, CancellationToken cancellationToken) =>
                TypedResults.ServerSentEvents(StreamAsync(snapshots, time, cancellationToken), eventType: "overview"))
            .RequireAuthorization(DashboardServiceCollectionExtensions.ViewerPolicy)
            .ExcludeFromDescription();

    private static async IAsyncEnumerable<OverviewSnapshot> StreamAsync(
        OverviewSnapshots snapshots, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(OverviewSnapshots.MaxAge, time);
        do
        {
            OverviewSnapshot snapshot;
            try
            {
                snapshot = await snapshots.GetAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return snapshot;
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
