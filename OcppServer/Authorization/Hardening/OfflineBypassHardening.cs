using OcppServer.Authorization.Decisions;
using OcppServer.ChargePoints;
using OcppServer.Security;

namespace OcppServer.Authorization.Hardening;

/// <summary>
/// Chargers cache authorizations and may start offline, which would bypass the gate. After an Accepted boot of a
/// charge point whose station requires any factor, and on every connection of one that reconnects without booting
/// (its first CALL is not BootNotification), the configuration that closes those paths is pushed, the authorization
/// cache is cleared, and each answer is recorded (the reconnect is noticed by <c>Handlers/HardeningOnReconnect</c>) (a refusal means a bypass is possible; the station's
/// <c>untrustedChargePoint</c> policy then decides whether its sessions are refused).
/// </summary>
public sealed class OfflineBypassHardening(
    StationPolicyProvider stations,
    IChargerCommands chargers,
    IHardeningStore answers,
    ChargerTrust trust,
    ISecurityEventLog events,
    TimeProvider time) : IChargePointBootObserver
{
    public const string ClearCacheSetting = "ClearCache";

    /// <summary>The keys and values pushed, in order. The first three are required core keys in OCPP 1.6.</summary>
    public static IReadOnlyList<(string Key, string Value, bool RequiredKey)> Settings { get; } =
    [
        ("LocalAuthorizeOffline", "false", true),
        ("LocalPreAuthorize", "false", true),
        ("StopTransactionOnInvalidId", "true", true),
        ("AuthorizationCacheEnabled", "false", false),
        ("AllowOfflineTxForUnknownId", "false", false),
    ];

    public async Task OnBootAcceptedAsync(string chargePointId, CancellationToken cancellationToken)
    {
        var station = await stations.GetForChargePointAsync(chargePointId, cancellationToken);
        if (station is null || !station.Policy.RequiresAnyFactor)
        {
            return;
        }

        foreach (var (key, value, _) in Settings)
        {
            string status = await chargers.ChangeConfigurationAsync(chargePointId, key, value, cancellationToken);
            await RecordAsync(chargePointId, key, value, status, cancellationToken);
        }

        string cleared = await chargers.ClearCacheAsync(chargePointId, cancellationToken);
        await RecordAsync(chargePointId, ClearCacheSetting, null, cleared, cancellationToken);
    }

    /// <summary>Whether what the charger answered leaves a way to charge without the gate.</summary>
    public static bool IsBypassPossible(IReadOnlyList<HardeningAnswer> answers) =>
        Settings.Any(s =>
        {
            var answer = answers.FirstOrDefault(a => a.Setting == s.Key);
            return answer is null
                || answer.Status is not ("Accepted" or "RebootRequired")
                   && !(answer.Status == "NotSupported" && !s.RequiredKey);
        });

    /// <summary>Whether <paramref name="status"/> is an answer that leaves <paramref name="setting"/> closed.</summary>
    private static bool Holds(string setting, string status) =>
        status is "Accepted" or "RebootRequired"
        || status == "NotSupported" && Settings.Any(s => s.Key == setting && !s.RequiredKey);

    private async Task RecordAsync(string chargePointId, string setting, string? value, string status, CancellationToken cancellationToken)
    {
        if (!Holds(setting, status))
        {
            events.Raise(new SecurityEvent(chargePointId, SecurityEventSource.CentralSystem, SecurityEventTypes.OfflineHardeningRefused, time.GetUtcNow(),
                value is null ? $"{setting}: {status}" : $"{setting}={value}: {status}"));
        }

        try
        {
            await answers.RecordAsync(
                new HardeningAnswer { ChargePointId = chargePointId, Setting = setting, Value = value, Status = status, AnsweredAt = time.GetUtcNow() },
                cancellationToken);
        }
        finally
        {
            trust.Forget(chargePointId);
        }
    }
}
