using Microsoft.Extensions.Options;
using OcppServer.Ocpp.Connections;

namespace OcppServer.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Multi-node mode when <c>Cluster:Redis</c> is set: the Redis directory of connections, calls relayed to the node
    /// holding a charger, and coherent caches. Such a node must share its database with the others (PostgreSQL) and the
    /// template key (<c>Biometrics:TemplateKey</c>): it refuses to start otherwise.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.Section))
            .PostConfigure(o => o.NodeId = string.IsNullOrWhiteSpace(o.NodeId) ? DefaultNodeId(configuration) : o.NodeId.Trim())
            .Validate(o => o.Problem() is null, "Cluster: invalid options (Cluster:LeaseSeconds, RenewSeconds, RelayMarginSeconds, KeyPrefix)")
            .Validate(o => !o.Enabled || string.Equals(configuration["Storage:Provider"], "PostgreSql", StringComparison.OrdinalIgnoreCase),
                "Cluster:Redis (multi-node mode) needs a database every node shares: set Storage:Provider=PostgreSql; SQLite serves one node")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(configuration["Biometrics:TemplateKey"]),
                "Cluster:Redis (multi-node mode) needs Biometrics:TemplateKey, the same on every node (a node must not make up its own key)")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(configuration["Storage:ImageDirectory"]),
                "Cluster:Redis (multi-node mode) needs Storage:ImageDirectory, a folder every node shares for camera images")
            .ValidateOnStart();

        // Decided when the services are first resolved, from the final configuration (sources added after this call count).
        services.AddSingleton<RedisClusterBus>();
        services.AddSingleton<RedisConnectionOwnership>();
        services.AddSingleton<ClusterChargePointCalls>();
        services.AddSingleton<LocalChargePointCalls>();
        services.AddSingleton<IConnectionOwnership>(sp => IsEnabled(sp)
            ? sp.GetRequiredService<RedisConnectionOwnership>()
            : new SingleNodeOwnership());
        services.AddSingleton<IChargePointCalls>(sp => IsEnabled(sp)
            ? sp.GetRequiredService<ClusterChargePointCalls>()
            : sp.GetRequiredService<LocalChargePointCalls>());
        services.AddHostedService<ClusterMembership>();
        return services;
    }

    private static bool IsEnabled(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.Enabled;

    /// <summary>The host name and the port of the first URL; with no fixed port (port 0), the process id and a random suffix.</summary>
    private static string DefaultNodeId(IConfiguration configuration)
    {
        string? urls = configuration["Urls"] ?? configuration["ASPNETCORE_URLS"];
        int port = urls is not null
            && Uri.TryCreate(urls.Split(';')[0].Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal),
                UriKind.Absolute, out var uri)
            ? uri.Port
            : 0;
        return port > 0
            ? FormattableString.Invariant($"{Environment.MachineName}:{port}")
            : FormattableString.Invariant($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
    }
}
