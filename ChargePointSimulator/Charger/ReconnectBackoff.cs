namespace ChargePointSimulator.Charger;

/// <summary>Exponential back-off with full jitter between reconnection attempts: random(0, min(max, initial × 2^n)).</summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan maximum, Random random)
{
    private int _attempt;

    public int Attempts => _attempt;

    public TimeSpan Next()
    {
        double ceiling = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        // Half fixed, half random: never hammering at once, yet spreading many chargers out.
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }

    public void Reset() => _attempt = 0;
}
