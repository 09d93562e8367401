namespace OcppServer.Dashboard.Pages;

/// <summary>The overview: chargers, sessions, the last hour's decisions, cameras, security events; kept live by /live/overview.</summary>
public sealed class IndexModel(OverviewSnapshots snapshots) : DashboardPageModel
{
    public OverviewSnapshot Snapshot { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Snapshot = await snapshots.GetAsync(cancellationToken);
}
