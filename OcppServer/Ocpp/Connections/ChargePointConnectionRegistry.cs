using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace OcppServer.Ocpp.Connections;

/// <summary>The live connection of each charge point identity.</summary>
public sealed class ChargePointConnectionRegistry(IOptions<OcppOptions> options)
{
    private readonly ConcurrentDictionary<string, ChargePointConnection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>How many sockets may be open at once (see <see cref="ConnectionLimit"/>).</summary>
    public int Capacity { get; } = ConnectionLimit.Resolve(options.Value.MaxConnections);

    /// <summary>Whether a new identity may connect; a reconnecting one replaces its old socket and is always let in.</summary>
    public bool HasRoomFor(string chargePointId) => _connections.Count < Capacity || _connections.ContainsKey(chargePointId);

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

    /// <summary>
    /// Closes the live connection of <paramref name="chargePointId"/> (1008) unless what admitted it still holds: after a
    /// change that leaves some connections valid (a rotated key the charger already reconnected with, a raised profile
    /// it already meets) and not others.
    /// </summary>
    public async Task<bool> RevokeUnlessQualifiedAsync(string chargePointId, IChargePointAdmission admission, string reason, CancellationToken cancellationToken)
    {
        if (!_connections.TryGetValue(chargePointId, out var connection)
            || await admission.StillQualifiesAsync(chargePointId, connection.Admission, cancellationToken))
        {
            return false;
        }

        await connection.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reason);
        return true;
    }
}
