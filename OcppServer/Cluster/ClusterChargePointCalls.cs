using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OcppServer.Ocpp.Connections;

namespace OcppServer.Cluster;

/// <summary>
/// Reaches a charger on any node: on this node directly; on another, by relaying the call to the node that holds it
/// (<see cref="RedisConnectionOwnership"/>) and waiting for its answer. The relaying node sends the call on its socket
/// and replies with how it ended, so the caller sees the same outcomes as on one node (and the command is validated
/// and logged once, by the node that was asked). A node that died does not reply: the call times out.
/// </summary>
public sealed class ClusterChargePointCalls : IChargePointCalls
{
    private readonly RedisClusterBus _bus;
    private readonly RedisConnectionOwnership _ownership;
    private readonly ChargePointConnectionRegistry _connections;
    private readonly LocalChargePointCalls _local;
    private readonly TimeSpan _relayMargin;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ClusterMessage>> _pending = new(StringComparer.Ordinal);

    public ClusterChargePointCalls(
        RedisClusterBus bus, RedisConnectionOwnership ownership, ChargePointConnectionRegistry connections, LocalChargePointCalls local,
        IOptions<ClusterOptions> options, TimeProvider time)
    {
        _bus = bus;
        _ownership = ownership;
        _connections = connections;
        _local = local;
        _relayMargin = TimeSpan.FromSeconds(options.Value.RelayMarginSeconds);
        _time = time;
        bus.On(ClusterMessage.Call, RelayAsync);
        bus.On(ClusterMessage.Reply, message =>
        {
            if (message.CorrelationId is { } id && _pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetResult(message);
            }

            return Task.CompletedTask;
        });
        bus.On(ClusterMessage.Close, message => message.ChargePointId is { } id
            ? _local.CloseAsync(id, (WebSocketCloseStatus)message.CloseStatus, message.Description ?? "", CancellationToken.None)
            : Task.CompletedTask);
        bus.On(ClusterMessage.Recheck, message => message.ChargePointId is { } id
            ? _local.RecheckAsync(id, message.Description ?? "", CancellationToken.None)
            : Task.CompletedTask);
        bus.On(ClusterMessage.RecheckCertificate, message => message.Credential is { } serial
            ? _local.RecheckCertificateAsync(serial, message.Address ?? "", message.Description ?? "", CancellationToken.None)
            : Task.CompletedTask);
    }

    public async Task<JsonElement> CallAsync(string chargePointId, string action, JsonElement payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_connections.TryGet(chargePointId, out var connection))
        {
            return await connection.CallAsync(action, payload, timeout, cancellationToken);
        }

        string node = await OwnerElsewhereAsync(chargePointId) ?? throw new ChargePointNotConnectedException(chargePointId);
        string correlationId = Guid.NewGuid().ToString("N");
        var reply = new TaskCompletionSource<ClusterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = reply;
        try
        {
            var call = new ClusterMessage(ClusterMessage.Call, _bus.NodeId, chargePointId, CorrelationId: correlationId, Action: action,
                Payload: payload.GetRawText(), TimeoutMilliseconds: (int)timeout.TotalMilliseconds);
            if (!await _bus.SendAsync(node, call))
            {
                throw new ChargePointNotConnectedException(chargePointId); // the node is gone; its claim runs out
            }

            ClusterMessage answer;
            try
            {
                answer = await reply.Task.WaitAsync(timeout + _relayMargin, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new OcppCallTimeoutException(chargePointId, action, timeout);
            }

            return answer.Outcome switch
            {
                "Result" => JsonDocument.Parse(answer.Payload ?? "{}").RootElement.Clone(),
                "CallError" => throw new OcppCallErrorException(answer.ErrorCode ?? "GenericError", answer.Description ?? ""),
                "Malformed" => throw new OcppMalformedAnswerException(chargePointId, action, answer.Description ?? ""),
                "Timeout" => throw new OcppCallTimeoutException(chargePointId, action, timeout),
                "NotConnected" => throw new ChargePointNotConnectedException(chargePointId),
                _ => throw new ChargePointDisconnectedException(chargePointId),
            };
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    public async Task<bool> IsConnectedAsync(string chargePointId, CancellationToken cancellationToken) =>
        _connections.TryGet(chargePointId, out _) || await OwnerElsewhereAsync(chargePointId) is not null;

    public async Task CloseAsync(string chargePointId, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        await _local.CloseAsync(chargePointId, status, reason, cancellationToken);
        if (await OwnerElsewhereAsync(chargePointId) is { } node)
        {
            await _bus.SendAsync(node, new ClusterMessage(ClusterMessage.Close, _bus.NodeId, chargePointId, CloseStatus: (int)status, Description: reason));
        }
    }

    public async Task RecheckAsync(string chargePointId, string reason, CancellationToken cancellationToken)
    {
        await _local.RecheckAsync(chargePointId, reason, cancellationToken);
        if (await OwnerElsewhereAsync(chargePointId) is { } node)
        {
            await _bus.SendAsync(node, new ClusterMessage(ClusterMessage.Recheck, _bus.NodeId, chargePointId, Description: reason));
        }
    }

    public async Task<IReadOnlyList<string>> RecheckCertificateAsync(string serialNumber, string issuer, string reason, CancellationToken cancellationToken)
    {
        await _bus.BroadcastAsync(new ClusterMessage(ClusterMessage.RecheckCertificate, _bus.NodeId, Credential: serialNumber, Address: issuer, Description: reason));
        return await _local.RecheckCertificateAsync(serialNumber, issuer, reason, cancellationToken);
    }

    private async Task<string?> OwnerElsewhereAsync(string chargePointId) =>
        await _ownership.OwnerAsync(chargePointId) is { } node && node != _bus.NodeId ? node : null;

    /// <summary>Another node asks for a call to a charger this node holds: send it and reply with how it ended.</summary>
    private async Task RelayAsync(ClusterMessage call)
    {
        if (call.ChargePointId is not { } id || call.Action is not { } action || call.CorrelationId is null)
        {
            return;
        }

        ClusterMessage Reply(string outcome, string? payload = null, string? errorCode = null, string? description = null) =>
            new(ClusterMessage.Reply, _bus.NodeId, id, CorrelationId: call.CorrelationId, Outcome: outcome, Payload: payload,
                ErrorCode: errorCode, Description: description);

        ClusterMessage reply;
        try
        {
            using var payload = JsonDocument.Parse(call.Payload ?? "{}");
            var result = await _local.CallAsync(id, action, payload.RootElement, TimeSpan.FromMilliseconds(call.TimeoutMilliseconds), CancellationToken.None);
            reply = Reply("Result", result.GetRawText());
        }
        catch (OcppCallErrorException ex)
        {
            reply = Reply("CallError", errorCode: ex.ErrorCode, description: ex.Description);
        }
        catch (OcppMalformedAnswerException ex)
        {
            reply = Reply("Malformed", description: ex.Description);
        }
        catch (OcppCallTimeoutException)
        {
            reply = Reply("Timeout");
        }
        catch (ChargePointNotConnectedException)
        {
            reply = Reply("NotConnected");
        }
        catch (ChargePointDisconnectedException)
        {
            reply = Reply("Disconnected");
        }

        await _bus.SendAsync(call.Origin, reply);
    }
}
