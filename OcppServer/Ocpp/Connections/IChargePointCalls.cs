using System.Net.WebSockets;
using System.Text.Json;

namespace OcppServer.Ocpp.Connections;

/// <summary>
/// Reaches a charge point wherever its socket is: on this node (<see cref="LocalChargePointCalls"/>) or, with several
/// nodes, on the node that holds it (<c>Cluster/ClusterChargePointCalls</c>).
/// </summary>
public interface IChargePointCalls
{
    /// <summary>
    /// Sends a call and returns the CALLRESULT's payload. Throws <see cref="ChargePointNotConnectedException"/> when no
    /// node holds the charger, <see cref="ChargePointDisconnectedException"/> when its socket went away meanwhile,
    /// <see cref="OcppCallErrorException"/>, <see cref="OcppMalformedAnswerException"/> or
    /// <see cref="OcppCallTimeoutException"/> as the charger answered.
    /// </summary>
    Task<JsonElement> CallAsync(string chargePointId, string action, JsonElement payload, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Whether some node holds a socket of the charger.</summary>
    Task<bool> IsConnectedAsync(string chargePointId, CancellationToken cancellationToken);

    /// <summary>Closes the charger's socket wherever it is (e.g. 1008 when its credentials were revoked).</summary>
    Task CloseAsync(string chargePointId, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);
}

/// <summary>No node holds a socket of the charge point.</summary>
public sealed class ChargePointNotConnectedException(string chargePointId)
    : Exception($"Charge point {chargePointId} is not connected");

/// <summary>The charge points connected to this node, when it is the only one.</summary>
public sealed class LocalChargePointCalls(ChargePointConnectionRegistry connections) : IChargePointCalls
{
    public Task<JsonElement> CallAsync(string chargePointId, string action, JsonElement payload, TimeSpan timeout, CancellationToken cancellationToken) =>
        connections.TryGet(chargePointId, out var connection)
            ? connection.CallAsync(action, payload, timeout, cancellationToken)
            : Task.FromException<JsonElement>(new ChargePointNotConnectedException(chargePointId));

    public Task<bool> IsConnectedAsync(string chargePointId, CancellationToken cancellationToken) =>
        Task.FromResult(connections.TryGet(chargePointId, out _));

    public async Task CloseAsync(string chargePointId, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (connections.TryGet(chargePointId, out var connection))
        {
            await connection.CloseAsync(status, reason);
        }
    }
}
