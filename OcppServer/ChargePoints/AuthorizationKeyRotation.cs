using System.Security.Cryptography;
using System.Text;
using OcppServer.Security;

namespace OcppServer.ChargePoints;

public enum KeyRotationResult
{
    /// <summary>The charger took the new key; it is the only one that admits it from now on.</summary>
    Rotated,

    /// <summary>The charger refused it (Rejected, NotSupported or a CALLERROR): the old key stays.</summary>
    Refused,

    /// <summary>No answer came: both keys admit the charger until it connects with the new one (which then becomes the key).</summary>
    Unanswered,
}

public sealed record KeyRotationOutcome(KeyRotationResult Result, string ChargerStatus);

/// <summary>
/// Rotates a charge point's AuthorizationKey (OCPP 1.6 security whitepaper; OCA TC_073): the new key is kept as a
/// second key before the charger is told (ChangeConfiguration AuthorizationKey), so that a charger that takes it and
/// reconnects at once is never refused; it replaces the old key once the charger accepts it, or once the charger connects
/// with it. Until then the old key keeps working, and a charger that refuses the new key keeps the old one.
/// </summary>
public sealed class AuthorizationKeyRotation(
    IChargePointStore chargePoints,
    IChargerSecuritySettings charger,
    ISecurityEventLog events,
    TimeProvider time)
{
    public const string ConfigurationKey = "AuthorizationKey";

    /// <summary>A fresh key as the whitepaper has it: 20 random bytes, written as 40 hex characters.</summary>
    public static string NewKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    /// <summary>Gives the charger <paramref name="newKey"/> (32 to 40 hex characters, checked by the caller).</summary>
    public async Task<KeyRotationOutcome> RotateAsync(string chargePointId, string newKey, CancellationToken cancellationToken)
    {
        if (!PasswordHasher.IsAuthorizationKey(newKey))
        {
            throw new ArgumentException("An AuthorizationKey is 32 to 40 hex characters", nameof(newKey));
        }

        string hash = PasswordHasher.HashAuthorizationKey(Encoding.UTF8.GetBytes(newKey));
        await chargePoints.SetPendingPasswordHashAsync(chargePointId, hash, cancellationToken);

        // Whatever the caller does meanwhile, the outcome is recorded: the charger may act on the call.
        var answer = await charger.ChangeConfigurationAsync(chargePointId, ConfigurationKey, newKey, CancellationToken.None);
        if (answer.Applied)
        {
            await chargePoints.CommitPasswordHashAsync(chargePointId, hash, CancellationToken.None);
            events.Raise(new SecurityEvent(chargePointId, SecurityEventSource.CentralSystem, SecurityEventTypes.ReconfigurationOfSecurityParameters,
                time.GetUtcNow(), $"AuthorizationKey rotated (ChangeConfiguration {answer.Status})"));
            return new KeyRotationOutcome(KeyRotationResult.Rotated, answer.Status);
        }

        if (answer.Answered)
        {
            await chargePoints.ClearPendingPasswordHashAsync(chargePointId, hash, CancellationToken.None);
            return new KeyRotationOutcome(KeyRotationResult.Refused, answer.Status);
        }

        return new KeyRotationOutcome(KeyRotationResult.Unanswered, answer.Status);
    }
}
