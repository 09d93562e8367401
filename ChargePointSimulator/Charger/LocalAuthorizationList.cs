using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>The local authorization list the central system manages with SendLocalList (OCPP 1.6 §3.5.2).</summary>
public sealed class LocalAuthorizationList
{
    private readonly Dictionary<string, IdTagInfo> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Version { get; private set; }

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

    public IdTagInfo? Get(string idTag)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(idTag);
        }
    }

    /// <summary>Applies a SendLocalList: Full replaces the list, Differential adds, updates and (without idTagInfo) removes.</summary>
    public UpdateStatus Apply(SendLocalListRequest request, int maxLength)
    {
        var entries = request.LocalAuthorizationList ?? [];
        lock (_lock)
        {
            if (request.UpdateType == UpdateType.Differential && request.ListVersion <= Version)
            {
                return UpdateStatus.VersionMismatch;
            }

            var next = request.UpdateType == UpdateType.Full
                ? new Dictionary<string, IdTagInfo>(StringComparer.Ordinal)
                : new Dictionary<string, IdTagInfo>(_entries, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.IdTagInfo is null)
                {
                    if (request.UpdateType == UpdateType.Full)
                    {
                        return UpdateStatus.Failed;
                    }

                    next.Remove(entry.IdTag);
                }
                else
                {
                    next[entry.IdTag] = entry.IdTagInfo;
                }
            }

            if (next.Count > maxLength)
            {
                return UpdateStatus.Failed;
            }

            _entries.Clear();
            foreach (var (idTag, info) in next)
            {
                _entries[idTag] = info;
            }

            Version = request.ListVersion;
            return UpdateStatus.Accepted;
        }
    }
}
