using System.Text;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Redaction;

namespace OcppServer.Storage;

/// <summary>
/// The bounded raw message log (Ocpp:MessageLog; off by default). Frames are queued without blocking the connection
/// and written in batches, with their secrets redacted (<see cref="OcppPayloadRedaction"/>, in the background, off the
/// connection's thread); the table is pruned to MaxRows. Frames that arrive while the queue is full are dropped (and
/// counted).
/// </summary>
public sealed class MessageLogWriter(
    IRelationalDatabase database,
    OcppPayloadRedaction redaction,
    IOptions<OcppOptions> options,
    TimeProvider time,
    ILogger<MessageLogWriter> logger) : BackgroundService, IOcppFrameObserver
{
    private readonly Channel<LoggedFrame> _queue = Channel.CreateBounded<LoggedFrame>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly bool _enabled = options.Value.MessageLog.Enabled;
    private long _dropped;

    public void OnFrame(string chargePointId, FrameDirection direction, ReadOnlySpan<byte> frame)
    {
        if (!_enabled)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(new LoggedFrame(chargePointId, direction.ToString(), Encoding.UTF8.GetString(frame), time.GetUtcNow())))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            return;
        }

        int maxRows = options.Value.MessageLog.MaxRows;
        var batch = new List<LoggedFrame>(256);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 256 && _queue.Reader.TryRead(out var frame))
                {
                    batch.Add(frame with { Frame = redaction.RedactFrame(frame.Frame) });
                }

                await database.WriteAsync((c, t) =>
                {
                    c.Execute(
                        "INSERT INTO message_log (charge_point_id, direction, frame, logged_at) VALUES (@ChargePointId, @Direction, @Frame, @LoggedAt)",
                        batch, t);
                    c.Execute(
                        "DELETE FROM message_log WHERE id <= (SELECT MAX(id) FROM message_log) - @maxRows", new { maxRows }, t);
                }, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug("Message log stopped; {Dropped} frames were dropped while the queue was full", Interlocked.Read(ref _dropped));
        }
    }

    private sealed record LoggedFrame(string ChargePointId, string Direction, string Frame, DateTimeOffset LoggedAt);
}
