namespace OcppServer.Tests.Infrastructure;

/// <summary>Polls for a state that the server reaches asynchronously, with a bounded deadline (no fixed sleeps).</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Probes until <paramref name="done"/> holds and returns that value; fails the test at the deadline.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            T value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"Timed out waiting until {description}; last value: {value}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
