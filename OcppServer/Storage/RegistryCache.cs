using System.Collections.Concurrent;

namespace OcppServer.Storage;

/// <summary>
/// Registry rows that every decision reads (stations, id tags, a tag's driver, vehicles by VIN, who may drive what,
/// biometric readers) and only the back office changes. Every registry write clears the cache once it is committed; a
/// row read while a write was committing is not kept (it may be the old one). The whole cache goes on any change:
/// changes are rare, and a selective invalidation that missed a dependent row would be an authorization bug.
/// </summary>
public sealed class RegistryCache
{
    /// <summary>Bound on kept rows (each lookup of a distinct key adds one).</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Kind, string Key), object> _rows = new();
    private readonly Lock _gate = new();
    private long _version;

    /// <summary>The cached row of <paramref name="kind"/> for <paramref name="key"/>, else <paramref name="load"/>'s (null is not kept).</summary>
    public async Task<T?> GetOrLoadAsync<T>(string kind, string key, Func<Task<T?>> load)
        where T : class
    {
        if (_rows.TryGetValue((kind, key), out var cached))
        {
            return (T)cached;
        }

        long version;
        lock (_gate)
        {
            version = _version;
        }

        var row = await load();
        if (row is not null)
        {
            lock (_gate)
            {
                if (_version == version && _rows.Count < MaxEntries)
                {
                    _rows.TryAdd((kind, key), row);
                }
            }
        }

        return row;
    }

    /// <summary>Runs a registry write and clears the cache once it is committed (or has failed).</summary>
    public async Task<T> WriteAsync<T>(Task<T> write)
    {
        try
        {
            return await write;
        }
        finally
        {
            Invalidate();
        }
    }

    /// <summary>Raised after a registry write on this node cleared the cache (other nodes must clear theirs).</summary>
    public event Action? Invalidated;

    /// <summary>Clears the cache for a registry write committed elsewhere (another node).</summary>
    public void InvalidateFromElsewhere() => Clear();

    private void Invalidate()
    {
        Clear();
        Invalidated?.Invoke();
    }

    // Under the same lock as the add: a read that began before this write cannot add the old row afterwards.
    private void Clear()
    {
        lock (_gate)
        {
            _version++;
            _rows.Clear();
        }
    }
}
