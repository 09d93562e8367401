using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OcppServer.Cluster;

/// <summary>
/// This node's link to Redis: the connection (StackExchange.Redis multiplexes everything over it), its own channel for
/// messages addressed to it, and the channel every node listens to. Handlers are registered by message kind; a message
/// a node sent to every node is not handled by that node itself.
/// </summary>
public sealed partial class RedisClusterBus : IHostedService, IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly ILogger<RedisClusterBus> _logger;
    private readonly ConcurrentDictionary<string, Func<ClusterMessage, Task>> _handlers = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _redis;

    public RedisClusterBus(IOptions<ClusterOptions> options, ILogger<RedisClusterBus> logger)
    {
        _options = options.Value;
        _logger = logger;
        NodeId = _options.NodeId ?? throw new InvalidOperationException("Cluster:NodeId was not resolved");
    }

    public string NodeId { get; }

    public IDatabase Database => (_redis ?? throw new InvalidOperationException("Not connected to Redis yet")).GetDatabase();

    public string Key(string name) => _options.KeyPrefix + ":" + name;

    private RedisChannel NodeChannel(string node) => RedisChannel.Literal(Key("node:" + node));

    private RedisChannel EveryNodeChannel => RedisChannel.Literal(Key("all"));

    public void On(string kind, Func<ClusterMessage, Task> handler) => _handlers[kind] = handler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(_options.Redis!);
        var subscriber = _redis.GetSubscriber();
        await subscriber.SubscribeAsync(NodeChannel(NodeId), (_, value) => Dispatch(value));
        await subscriber.SubscribeAsync(EveryNodeChannel, (_, value) => Dispatch(value));
        LogJoined(NodeId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Sends a message to one node; false when no node listens on its channel (it is gone).</summary>
    public async Task<bool> SendAsync(string node, ClusterMessage message) =>
        await (_redis ?? throw new InvalidOperationException("Not connected to Redis yet")).GetSubscriber()
            .PublishAsync(NodeChannel(node), message.ToJson()) > 0;

    /// <summary>Sends a message to every other node.</summary>
    public Task BroadcastAsync(ClusterMessage message) =>
        (_redis ?? throw new InvalidOperationException("Not connected to Redis yet")).GetSubscriber().PublishAsync(EveryNodeChannel, message.ToJson());

    /// <summary>Broadcasts without waiting, logging a failure (cache invalidations must not fail the write that caused them).</summary>
    public void BroadcastInBackground(ClusterMessage message) => _ = BroadcastLoggedAsync(message);

    private async Task BroadcastLoggedAsync(ClusterMessage message)
    {
        try
        {
            await BroadcastAsync(message);
        }
        catch (Exception ex) when (ex is RedisException or InvalidOperationException or TimeoutException)
        {
            LogBroadcastFailed(ex, message.Kind);
        }
    }

    private void Dispatch(RedisValue value)
    {
        var message = ClusterMessage.FromJson(value.ToString());
        if (message is null
            || message.Origin == NodeId && message.Kind is ClusterMessage.Invalidate or ClusterMessage.CredentialFailure or ClusterMessage.RecheckCertificate)
        {
            return;
        }

        if (_handlers.TryGetValue(message.Kind, out var handler))
        {
            _ = RunAsync(handler, message);
        }
    }

    private async Task RunAsync(Func<ClusterMessage, Task> handler, ClusterMessage message)
    {
        try
        {
            await handler(message);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, message.Kind, message.Origin);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} joined the cluster")]
    private partial void LogJoined(string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes of {Kind}")]
    private partial void LogBroadcastFailed(Exception exception, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Kind} message from {Origin} failed")]
    private partial void LogHandlerFailed(Exception exception, string kind, string origin);
}
