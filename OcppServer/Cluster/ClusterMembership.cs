using Microsoft.Extensions.Options;

namespace OcppServer.Cluster;

/// <summary>
/// In multi-node mode, joins the cluster before the node serves (Redis connected, its channels subscribed, calls
/// relayed, caches coherent) and renews its chargers' leases while it runs. One node alone does nothing here.
/// </summary>
public sealed class ClusterMembership(IOptions<ClusterOptions> options, IServiceProvider services) : IHostedService
{
    private readonly List<IHostedService> _started = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // The bus first: the others register their handlers on it.
        _ = services.GetRequiredService<ClusterChargePointCalls>();
        foreach (IHostedService part in new IHostedService[]
                 {
                     services.GetRequiredService<RedisClusterBus>(),
                     services.GetRequiredService<RedisConnectionOwnership>(),
                     ActivatorUtilities.CreateInstance<ClusterCoherence>(services),
                 })
        {
            await part.StartAsync(cancellationToken);
            _started.Add(part);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (int i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(cancellationToken);
        }
    }
}
