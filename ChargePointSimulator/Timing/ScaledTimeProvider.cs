namespace ChargePointSimulator.Timing;

/// <summary>
/// A clock that runs <see cref="Factor"/> times faster than <paramref name="inner"/>: timers fire sooner by that factor
/// and the wall clock advances faster from the moment of creation. With factor 60 a one-hour charging session
/// (MeterValues every 60 s) takes a minute.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _startUtc;
    private readonly long _startTimestamp;

    public ScaledTimeProvider(double factor, TimeProvider? inner = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(factor, 0);
        Factor = factor;
        _inner = inner ?? System;
        _startUtc = _inner.GetUtcNow();
        _startTimestamp = _inner.GetTimestamp();
    }

    public double Factor { get; }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _startUtc + (_inner.GetUtcNow() - _startUtc) * Factor;

    public override long GetTimestamp() => _startTimestamp + (long)((_inner.GetTimestamp() - _startTimestamp) * Factor);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_inner.CreateTimer(callback, state, Shrink(dueTime), Shrink(period)), this);

    private TimeSpan Shrink(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / Factor;

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.Shrink(dueTime), owner.Shrink(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
