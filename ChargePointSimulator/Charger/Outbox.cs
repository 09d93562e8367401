using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// The charger's queue of CALLs to the central system, sent one at a time in order. While offline, transaction-related
/// messages stay queued (up to <see cref="Capacity"/>; when full the oldest MeterValues are dropped first) and other
/// messages fail at once, as on real firmware.
/// </summary>
public sealed class Outbox(int capacity)
{
    private readonly LinkedList<OutboundMessage> _queue = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _online;

    public int Capacity { get; } = capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public bool Online
    {
        get
        {
            lock (_lock)
            {
                return _online;
            }
        }
    }

    public Task<System.Text.Json.JsonElement> Enqueue(OutboundMessage message)
    {
        lock (_lock)
        {
            if (!_online && !message.Transactional)
            {
                message.Fail(new OcppNotConnectedException($"{message.Action} not sent: the charger is offline"));
                return message.Completion;
            }

            if (_queue.Count >= Capacity)
            {
                var victim = FirstDroppable();
                if (victim is null)
                {
                    message.Fail(new InvalidOperationException($"{message.Action} not queued: the offline queue is full"));
                    return message.Completion;
                }

                _queue.Remove(victim);
                victim.Fail(new InvalidOperationException($"{victim.Action} dropped: the offline queue is full"));
            }

            _queue.AddLast(message);
            Signal();
        }

        return message.Completion;
    }

    /// <summary>The message at the head of the queue, once there is one; it stays there until completed or failed.</summary>
    public async Task<OutboundMessage> PeekAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_queue.First is { } head)
                {
                    return head.Value;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public void Remove(OutboundMessage message)
    {
        lock (_lock)
        {
            _queue.Remove(message);
            Signal();
        }
    }

    /// <summary>Connection accepted: messages flow. Going offline fails every queued message that is not transaction-related.</summary>
    public void SetOnline(bool online)
    {
        List<OutboundMessage> dropped = [];
        lock (_lock)
        {
            _online = online;
            if (!online)
            {
                for (var node = _queue.First; node is not null;)
                {
                    var next = node.Next;
                    if (!node.Value.Transactional)
                    {
                        dropped.Add(node.Value);
                        _queue.Remove(node);
                    }

                    node = next;
                }
            }

            Signal();
        }

        foreach (var message in dropped)
        {
            message.Fail(new OcppNotConnectedException($"{message.Action} not sent: the connection was lost"));
        }
    }

    /// <summary>Waits until every queued message has been sent (or the timeout passes); returns whether the queue is empty.</summary>
    public async Task<bool> WaitUntilEmptyAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    return true;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private OutboundMessage? FirstDroppable()
    {
        foreach (var message in _queue)
        {
            if (message.Action == "MeterValues" || !message.Transactional)
            {
                return message;
            }
        }

        return null;
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
