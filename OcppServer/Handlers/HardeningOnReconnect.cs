using OcppServer.Authorization.Hardening;
using OcppServer.Ocpp.Connections;

namespace OcppServer.Handlers;

/// <summary>
/// A charger that reconnects without booting keeps whatever configuration it had: its offline hardening is checked
/// again. One that boots is hardened after its Accepted BootNotification instead (calls before it would reach a
/// charger not ready for them).
/// </summary>
public sealed class HardeningOnReconnect(OfflineBypassHardening hardening) : IChargePointConnectionObserver
{
    public async Task OnConnectedAsync(ChargePointConnection connection, CancellationToken cancellationToken)
    {
        string first = await connection.FirstCallAction.WaitAsync(cancellationToken);
        if (first != "BootNotification" && connection.IsRegistrationAccepted)
        {
            await hardening.OnBootAcceptedAsync(connection.ChargePointId, cancellationToken);
        }
    }
}
