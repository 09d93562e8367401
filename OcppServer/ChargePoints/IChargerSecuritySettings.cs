namespace OcppServer.ChargePoints;

/// <summary>
/// What a charger answered: its status (Accepted, Rejected, RebootRequired, NotSupported, or a CALLERROR code), or
/// (<see cref="Answered"/> false) that no answer came (timeout, lost connection, a malformed answer): the charger may or
/// may not have acted on the call.
/// </summary>
public sealed record ChargerAnswer(bool Answered, string Status)
{
    /// <summary>The charger took the change (Accepted, or RebootRequired: it takes effect once it has rebooted).</summary>
    public bool Applied => Answered && Status is "Accepted" or "RebootRequired";
}

/// <summary>Changes a charger's security settings (OCPP 1.6 security whitepaper: AuthorizationKey, SecurityProfile) and resets it.</summary>
public interface IChargerSecuritySettings
{
    Task<ChargerAnswer> ChangeConfigurationAsync(string chargePointId, string key, string value, CancellationToken cancellationToken);

    Task<ChargerAnswer> HardResetAsync(string chargePointId, CancellationToken cancellationToken);
}
