using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Security;

namespace OcppServer.Handlers;

/// <summary>A security event the charge point noticed (OCPP 1.6 security whitepaper): stored before it is answered.</summary>
public sealed class SecurityEventNotificationHandler(ISecurityEventLog events)
    : OcppCallHandler<SecurityEventNotificationRequest, SecurityEventNotificationResponse>
{
    public override string Action => "SecurityEventNotification";

    public override async Task<SecurityEventNotificationResponse> HandleAsync(
        OcppCallContext context, SecurityEventNotificationRequest request, CancellationToken cancellationToken)
    {
        await events.RecordAsync(
            new SecurityEvent(context.ChargePointId, SecurityEventSource.ChargePoint, request.Type, request.Timestamp, request.TechInfo,
                context.Connection.RemoteAddress),
            cancellationToken);
        return new SecurityEventNotificationResponse();
    }
}
