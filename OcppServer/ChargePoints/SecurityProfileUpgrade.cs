using OcppServer.Security;

namespace OcppServer.ChargePoints;

public enum ProfileUpgradeResult
{
    /// <summary>The charger took the new profile; the stored one is raised and the weaker way is refused from now on.</summary>
    Raised,

    /// <summary>The charger refused the new profile (or the credentials it needed first): nothing changed.</summary>
    Refused,

    /// <summary>No answer came: the stored profile is not raised (a charger that took it still meets the lower one).</summary>
    Unanswered,
}

/// <summary>How an upgrade ended: the charger's answer to <c>SecurityProfile</c> (or to the credentials it needed first) and to the Reset that followed.</summary>
public sealed record ProfileUpgradeOutcome(ProfileUpgradeResult Result, int PreviousProfile, int Profile, string ChargerStatus, string? ResetStatus = null);

/// <summary>
/// Raises a connected charge point's security profile as the OCPP 1.6 security whitepaper has it (OCA TC_083): first the
/// credentials the new profile needs that the charger lacks (an AuthorizationKey for profile 1 or 2 of a charger that
/// had none, through <see cref="AuthorizationKeyRotation"/>; for profile 3 the charger must hold a certificate of the
/// charge point CA already), then <c>ChangeConfiguration SecurityProfile</c>; once the charger accepts, the stored
/// profile is raised (so the weaker way is refused from then on) and the charger is reset (Hard) to reconnect with it.
/// Profiles are only raised.
/// </summary>
public sealed class SecurityProfileUpgrade(
    IChargePointStore chargePoints,
    IChargerSecuritySettings charger,
    AuthorizationKeyRotation keys,
    ISecurityEventLog events,
    TimeProvider time)
{
    public const string ConfigurationKey = "SecurityProfile";

    public async Task<ProfileUpgradeOutcome> RaiseAsync(ChargePointRecord chargePoint, int profile, CancellationToken cancellationToken)
    {
        if (profile <= chargePoint.SecurityProfile || !SecurityProfiles.IsValid(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "A security profile is only raised, up to 3");
        }

        string id = chargePoint.Id;
        int previous = chargePoint.SecurityProfile;
        if (profile is SecurityProfiles.Basic or SecurityProfiles.TlsWithBasic && chargePoint.PasswordHash is null)
        {
            var key = await keys.RotateAsync(id, AuthorizationKeyRotation.NewKey(), cancellationToken);
            if (key.Result != KeyRotationResult.Rotated)
            {
                return new ProfileUpgradeOutcome(
                    key.Result == KeyRotationResult.Refused ? ProfileUpgradeResult.Refused : ProfileUpgradeResult.Unanswered, previous, previous,
                    $"AuthorizationKey: {key.ChargerStatus}");
            }
        }

        // Whatever the caller does meanwhile, the outcome is recorded: the charger may act on the call.
        var answer = await charger.ChangeConfigurationAsync(id, ConfigurationKey, profile.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        if (!answer.Applied)
        {
            return new ProfileUpgradeOutcome(answer.Answered ? ProfileUpgradeResult.Refused : ProfileUpgradeResult.Unanswered, previous, previous, answer.Status);
        }

        await chargePoints.RaiseSecurityProfileAsync(id, profile, CancellationToken.None);
        events.Raise(new SecurityEvent(id, SecurityEventSource.CentralSystem, SecurityEventTypes.ReconfigurationOfSecurityParameters, time.GetUtcNow(),
            $"SecurityProfile raised from {previous} to {profile} (ChangeConfiguration {answer.Status})"));
        var reset = await charger.HardResetAsync(id, CancellationToken.None);
        return new ProfileUpgradeOutcome(ProfileUpgradeResult.Raised, previous, profile, answer.Status, reset.Status);
    }
}
