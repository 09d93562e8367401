using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace OcppServer.Ocpp.Connections;

/// <summary>The live connection of each charge point identity.</summary>
public sealed class ChargePointConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ChargePointConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>Makes <paramref name="connection"/> the live one and returns the one it replaces, if any.</summary>
    public ChargePointConnection? Register(ChargePointConnection connection)
    {
        ChargePointConnection? previous = null;
        _connections.AddOrUpdate(
            connection.ChargePointId,
            connection,
            (_, existing) =>
            {
                previous = existing;
                return connection;
            });
        return previous;
    }

    /// <summary>Removes the connection unless a newer one has already replaced it.</summary>
    public void Unregister(ChargePointConnection connection) =>
        _connections.TryRemove(new KeyValuePair<string, ChargePointConnection>(connection.ChargePointId, connection));

    public bool TryGet(string chargePointId, [NotNullWhen(true)] out ChargePointConnection? connection) =>
        _connections.TryGetValue(chargePointId, out connection);

    public IReadOnlyCollection<ChargePointConnection> Snapshot() => _connections.Values.ToArray();
}
