namespace ChargePointSimulator.Timing;

/// <summary>An auto-reset signal for async code: <see cref="Set"/> wakes the current (or next) waiter once.</summary>
public sealed class AsyncSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        lock (_lock)
        {
            _next.TrySetResult();
        }
    }

    /// <summary>Waits for the signal, up to <paramref name="timeout"/>; returns whether it was set.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Task signalled;
        lock (_lock)
        {
            signalled = _next.Task;
        }

        bool set;
        try
        {
            await signalled.WaitAsync(timeout, time, cancellationToken);
            set = true;
        }
        catch (TimeoutException)
        {
            set = false;
        }

        if (set)
        {
            lock (_lock)
            {
                if (_next.Task.IsCompleted)
                {
                    _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        return set;
    }
}
