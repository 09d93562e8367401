using OcppServer.Ocpp.Connections;
using OcppServer.Security;

namespace OcppServer.Handlers;

/// <summary>Records what the transport notices as security events.</summary>
public sealed class TransportSecurityEvents(ISecurityEventLog events, TimeProvider time) : IConnectionSecurityObserver
{
    public void OnReplaced(ChargePointConnection replaced, ChargePointConnection replacement) =>
        events.Raise(new SecurityEvent(
            replacement.ChargePointId, SecurityEventSource.CentralSystem, SecurityEventTypes.ConnectionReplaced, time.GetUtcNow(),
            $"A new connection from {replacement.RemoteAddress ?? "-"} replaced the one from {replaced.RemoteAddress ?? "-"} " +
            $"(connected since {replaced.ConnectedAt:O})",
            replacement.RemoteAddress));
}
