using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp.Connections;
using StackExchange.Redis;

namespace OcppServer.Cluster;

/// <summary>
/// The shared directory of which node holds each charger: key <c>{prefix}:cp:{id}</c> = <c>{node}|{epoch}</c> with a
/// lease. Every connection of an identity gets a larger epoch (<c>INCR</c>); a claim only replaces a smaller one, so of
/// two connections racing on two nodes the newer wins whatever order their claims arrive in. The node that held the
/// charger before is told to close its socket. Leases are renewed while the socket lives; a node that dies stops
/// renewing, and its chargers, reconnecting elsewhere, claim anew.
/// </summary>
public sealed partial class RedisConnectionOwnership(
    RedisClusterBus bus,
    ChargePointConnectionRegistry connections,
    IOptions<ClusterOptions> options,
    ILogger<RedisConnectionOwnership> logger) : BackgroundService, IConnectionOwnership
{
    // Sets the owner unless a newer connection (larger epoch) holds the key; returns {1|0, previous value or ''}.
    private static readonly LuaScript ClaimScript = LuaScript.Prepare(
        """
        local current = redis.call('GET', @key)
        if current then
          local bar = string.find(current, '|', 1, true)
          if bar and tonumber(string.sub(current, bar + 1)) > tonumber(@epoch) then return {0, current} end
        end
        redis.call('SET', @key, @value, 'PX', @lease)
        return {1, current or ''}
        """);

    // Renews the lease if the key is still ours; sets it again if it expired meanwhile; 0 when another connection holds it.
    private static readonly LuaScript RenewScript = LuaScript.Prepare(
        """
        local current = redis.call('GET', @key)
        if current == @value then redis.call('PEXPIRE', @key, @lease) return 1 end
        if not current then redis.call('SET', @key, @value, 'PX', @lease) return 1 end
        return 0
        """);

    private static readonly LuaScript ReleaseScript = LuaScript.Prepare(
        "if redis.call('GET', @key) == @value then return redis.call('DEL', @key) end return 0");

    private readonly ClusterOptions _options = options.Value;
    private readonly ConcurrentDictionary<ChargePointConnection, long> _claims = new();

    private long LeaseMilliseconds => (long)(_options.LeaseSeconds * 1000);

    private RedisKey OwnerKey(string chargePointId) => bus.Key("cp:" + chargePointId);

    private string Value(long epoch) => bus.NodeId + "|" + epoch.ToString(CultureInfo.InvariantCulture);

    /// <summary>The node holding the charger's socket, or null when none does.</summary>
    public async Task<string?> OwnerAsync(string chargePointId)
    {
        var value = await bus.Database.StringGetAsync(OwnerKey(chargePointId));
        return value.IsNullOrEmpty ? null : Parse(value.ToString()).Node;
    }

    public async Task<bool> ClaimAsync(ChargePointConnection connection, CancellationToken cancellationToken)
    {
        string id = connection.ChargePointId;
        long epoch = await bus.Database.StringIncrementAsync(bus.Key("cp-epoch:" + id));
        var result = (RedisResult[])(await bus.Database.ScriptEvaluateAsync(
            ClaimScript, new { key = OwnerKey(id), epoch, value = Value(epoch), lease = LeaseMilliseconds }))!;
        if ((long)result[0] == 0)
        {
            return false;
        }

        _claims[connection] = epoch;
        string previous = result[1].ToString();
        if (previous.Length > 0 && Parse(previous).Node is { } node && node != bus.NodeId)
        {
            // The identity's earlier socket is on another node: that node closes it (if it has not closed already).
            LogTakeOver(id, node);
            await bus.SendAsync(node, new ClusterMessage(ClusterMessage.TakeOver, bus.NodeId, id, epoch));
        }

        return true;
    }

    public async Task ReleaseAsync(ChargePointConnection connection)
    {
        if (_claims.TryRemove(connection, out long epoch))
        {
            try
            {
                await bus.Database.ScriptEvaluateAsync(ReleaseScript, new { key = OwnerKey(connection.ChargePointId), value = Value(epoch) });
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogReleaseFailed(ex, connection.ChargePointId); // the lease runs out by itself
            }
        }
    }

    /// <summary>Another node has a newer connection of this identity: close ours if it is older.</summary>
    internal async Task OnTakeOverAsync(ClusterMessage message)
    {
        if (message.ChargePointId is { } id && connections.TryGet(id, out var connection)
            && _claims.TryGetValue(connection, out long epoch) && epoch < message.Epoch)
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bus.On(ClusterMessage.TakeOver, OnTakeOverAsync);
        // Real time on purpose: a lease is kept against Redis's clock, not the domain's (tests fake that one).
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.RenewSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RenewAllAsync();
        }
    }

    private async Task RenewAllAsync()
    {
        var claims = _claims.ToArray();
        var renewals = claims.Select(c => bus.Database.ScriptEvaluateAsync(
            RenewScript, new { key = OwnerKey(c.Key.ChargePointId), value = Value(c.Value), lease = LeaseMilliseconds })).ToArray();
        for (int i = 0; i < claims.Length; i++)
        {
            try
            {
                if ((long)(await renewals[i]) == 0)
                {
                    // A newer connection holds the charger (its takeover message was lost): this socket is stale.
                    await claims[i].Key.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRenewFailed(ex, claims[i].Key.ChargePointId);
            }
        }
    }

    private static (string? Node, long Epoch) Parse(string value)
    {
        int bar = value.LastIndexOf('|');
        return bar <= 0 ? (null, 0) : (value[..bar], long.Parse(value.AsSpan(bar + 1), CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{ChargePointId} reconnected here: node {Node} closes its previous connection")]
    private partial void LogTakeOver(string chargePointId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the claim on {ChargePointId}; its lease runs out")]
    private partial void LogReleaseFailed(Exception exception, string chargePointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the claim on {ChargePointId}")]
    private partial void LogRenewFailed(Exception exception, string chargePointId);
}
