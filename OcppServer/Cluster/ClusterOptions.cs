namespace OcppServer.Cluster;

/// <summary>
/// Several nodes behind one address (multi-node mode, on when <see cref="Redis"/> is set): chargers may connect to any
/// node, and Redis tells each node which node holds each charger, carries calls to it and keeps caches coherent.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>A StackExchange.Redis configuration string (e.g. <c>10.0.0.5:6379,password=...</c>); set = multi-node mode.</summary>
    public string? Redis { get; set; }

    /// <summary>This node's name among the nodes; by default the host name and the port it listens on.</summary>
    public string? NodeId { get; set; }

    /// <summary>Prefix of every Redis key and channel, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "ocppauth";

    /// <summary>How long a node's claim on a charger outlives the node: after a crash its chargers are free again after this.</summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>How often a node renews the claims of its live connections (well within <see cref="LeaseSeconds"/>).</summary>
    public double RenewSeconds { get; set; } = 10;

    /// <summary>How much longer than the call itself a node waits for another node to relay a charger's answer.</summary>
    public double RelayMarginSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() =>
        !Enabled ? null
        : LeaseSeconds <= 0 || RenewSeconds <= 0 ? "Cluster:LeaseSeconds and Cluster:RenewSeconds must be positive"
        : RenewSeconds * 2 > LeaseSeconds ? "Cluster:RenewSeconds must be at most half of Cluster:LeaseSeconds"
        : RelayMarginSeconds < 0 ? "Cluster:RelayMarginSeconds must not be negative"
        : string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.Contains(' ') ? "Cluster:KeyPrefix must be a word"
        : null;
}
