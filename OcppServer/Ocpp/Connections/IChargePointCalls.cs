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

    /// <summary>
    /// Closes the charger's socket (1008), wherever it is, unless what admitted it still qualifies: after a change that
    /// leaves some connections valid (a rotated key the charger already reconnected with, a raised profile it already
    /// meets) and not others.
    /// </summary>
    Task RecheckAsync(string chargePointId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Rechecks, on every node, each socket that the client certificate (<paramref name="serialNumber"/>, issued by
    /// <paramref name="issuer"/> or by any issuer when empty) admitted; returns those closed on this node (other nodes
    /// close theirs as well).
    /// </summary>
    Task<IReadOnlyList<string>> RecheckCertificateAsync(string serialNumber, string issuer, string reason, CancellationToken cancellationToken);
}

/// <summary>No node holds a socket of the charge point.</summary>
public sealed class ChargePointNotConnectedException(string chargePointId)
    : Exception($"Charge point {chargePointId} is not connected");

/// <summary>The charge points connected to this node, when it is the only one.</summary>
public sealed class LocalChargePointCalls(ChargePointConnectionRegistry connections, IChargePointAdmission admission) : IChargePointCalls
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

    public Task RecheckAsync(string chargePointId, string reason, CancellationToken cancellationToken) =>
        connections.RevokeUnlessQualifiedAsync(chargePointId, admission, reason, cancellationToken);

    public async Task<IReadOnlyList<string>> RecheckCertificateAsync(string serialNumber, string issuer, string reason, CancellationToken cancellationToken)
    {
        var closed = new List<string>();
        foreach (var connection in connections.Snapshot().Where(c => c.Admission.CertificateSerialNumber == serialNumber
                     && (issuer.Length == 0 || c.Admission.CertificateIssuer == issuer)))
        {
            if (await connections.RevokeUnlessQualifiedAsync(connection.ChargePointId, admission, reason, cancellationToken))
            {
                closed.Add(connection.ChargePointId);
            }
        }

        return closed;
    }
}
