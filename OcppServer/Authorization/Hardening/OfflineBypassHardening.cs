using OcppServer.Authorization.Decisions;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Authorization.Hardening;

/// <summary>
/// Chargers cache authorizations and may start offline, which would bypass the gate. After an Accepted boot of a
/// charge point whose station requires any factor, and on every connection of one that reconnects without booting
/// (its first CALL is not BootNotification), the configuration that closes those paths is pushed, the authorization
/// cache is cleared, and each answer is recorded (a refusal means a bypass is possible; the station's
/// <c>untrustedChargePoint</c> policy then decides whether its sessions are refused).
/// </summary>
public sealed class OfflineBypassHardening(
    StationPolicyProvider stations,
    ChargePointCommandService commands,
    IHardeningStore answers,
    ChargerTrust trust,
    TimeProvider time,
    ILogger<OfflineBypassHardening> logger) : IChargePointBootObserver, IChargePointConnectionObserver
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

    /// <summary>
    /// A charger that reconnects without booting keeps whatever configuration it had: check it again. One that boots is
    /// hardened after its Accepted BootNotification instead (calls before it would reach a charger not ready for them).
    /// </summary>
    public async Task OnConnectedAsync(ChargePointConnection connection, CancellationToken cancellationToken)
    {
        string first = await connection.FirstCallAction.WaitAsync(cancellationToken);
        if (first != "BootNotification" && connection.IsRegistrationAccepted)
        {
            await OnBootAcceptedAsync(connection.ChargePointId, cancellationToken);
        }
    }

    public async Task OnBootAcceptedAsync(string chargePointId, CancellationToken cancellationToken)
    {
        var station = await stations.GetForChargePointAsync(chargePointId, cancellationToken);
        if (station is null || !station.Policy.RequiresAnyFactor)
        {
            return;
        }

        foreach (var (key, value, _) in Settings)
        {
            string status = await SendAsync<ChangeConfigurationRequest, ChangeConfigurationResponse>(
                chargePointId, "ChangeConfiguration", new ChangeConfigurationRequest(key, value), r => r.Status, cancellationToken);
            await RecordAsync(chargePointId, key, value, status, cancellationToken);
        }

        string cleared = await SendAsync<ClearCacheRequest, ClearCacheResponse>(
            chargePointId, "ClearCache", new ClearCacheRequest(), r => r.Status, cancellationToken);
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

    private async Task<string> SendAsync<TRequest, TResponse>(
        string chargePointId, string action, TRequest request, Func<TResponse, string> status, CancellationToken cancellationToken)
    {
        try
        {
            return status(await commands.SendAsync<TRequest, TResponse>(chargePointId, action, request, cancellationToken));
        }
        catch (CommandFailedException ex)
        {
            logger.LogWarning("{Action} to {ChargePointId} for offline hardening failed: {Reason}", action, chargePointId, ex.Message);
            return ex.ErrorCode ?? ex.Kind.ToString();
        }
    }

    private async Task RecordAsync(string chargePointId, string setting, string? value, string status, CancellationToken cancellationToken)
    {
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
