using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace OcppServer.Security;

public sealed class SecurityEventOptions
{
    public const string Section = "Security:Events";

    /// <summary>Events kept; the oldest beyond this are deleted as new ones are stored.</summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>Events raised by the server that may wait to be stored; more are dropped (and counted in the log).</summary>
    public int QueueLength { get; set; } = 4096;
}

/// <summary>
/// <see cref="ISecurityEventLog"/> over an <see cref="ISecurityEventStore"/>: events the server raises go through a
/// bounded queue and are stored in batches in the background; events a charge point reports are stored before it is
/// answered.
/// </summary>
public sealed partial class SecurityEventLog : BackgroundService, ISecurityEventLog
{
    private const int BatchSize = 256;

    private readonly ISecurityEventStore _store;
    private readonly SecurityEventOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SecurityEventLog> _logger;
    private readonly Channel<SecurityEvent> _queue;
    private long _dropped;

    public SecurityEventLog(ISecurityEventStore store, IOptions<SecurityEventOptions> options, TimeProvider time, ILogger<SecurityEventLog> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<SecurityEvent>(
            new BoundedChannelOptions(_options.QueueLength) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    }

    public void Raise(SecurityEvent securityEvent)
    {
        if (!_queue.Writer.TryWrite(securityEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public async Task RecordAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
    {
        if (securityEvent.Source == SecurityEventSource.ChargePoint)
        {
            LogReported(_logger, securityEvent.ChargePointId ?? "-", securityEvent.Type, securityEvent.TechInfo ?? "");
        }

        await _store.InsertAsync([securityEvent], _time.GetUtcNow(), _options.MaxRows, cancellationToken);
    }

    public Task<IReadOnlyList<SecurityEventRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken) =>
        _store.ListAsync(chargePointId, limit, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SecurityEvent>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var securityEvent))
                {
                    batch.Add(securityEvent);
                }

                long dropped = Interlocked.Exchange(ref _dropped, 0);
                if (dropped > 0)
                {
                    LogDropped(_logger, dropped);
                }

                await StoreAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued is in the log already (every source logs its event as it raises it).
        }
    }

    private async Task StoreAsync(List<SecurityEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _store.InsertAsync(batch, _time.GetUtcNow(), _options.MaxRows, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStoreFailed(_logger, ex, batch.Count);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Security event reported by {ChargePointId}: {Type} {TechInfo}")]
    private static partial void LogReported(ILogger logger, string chargePointId, string type, string techInfo);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "{Count} security events were not stored: raised faster than they could be written (they are in this log)")]
    private static partial void LogDropped(ILogger logger, long count);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "{Count} security events could not be stored (they are in this log)")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, int count);
}
