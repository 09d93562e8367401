using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// The authorization cache (OCPP 1.6 §3.5.1): the last IdTagInfo the central system gave for each idTag, from
/// Authorize, StartTransaction and StopTransaction answers. Only filled while AuthorizationCacheEnabled is true.
/// </summary>
public sealed class AuthorizationCache(int capacity = 1000)
{
    private readonly Dictionary<string, IdTagInfo> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public void Update(string idTag, IdTagInfo info)
    {
        lock (_lock)
        {
            if (_entries.ContainsKey(idTag))
            {
                _recency.Remove(idTag);
            }
            else if (_entries.Count >= capacity && _recency.Last is { } oldest)
            {
                _entries.Remove(oldest.Value);
                _recency.RemoveLast();
            }

            _entries[idTag] = info;
            _recency.AddFirst(idTag);
        }
    }

    public IdTagInfo? Get(string idTag)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(idTag);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }
}
