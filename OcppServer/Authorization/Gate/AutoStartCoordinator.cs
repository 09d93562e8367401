using System.Collections.Concurrent;
using OcppServer.Authorization.Evidence;
using OcppServer.Registry;
using OcppServer.Transactions;

namespace OcppServer.Authorization.Gate;

/// <summary>
/// Server-started charging (policy <c>autoStart</c>): once a connector's evidence is complete and the biometric token
/// identified the driver, the gate decides (phase RemoteStart) and, if Accepted, RemoteStartTransaction is sent with
/// that driver's id tag. Each biometric token starts at most one session.
/// </summary>
public sealed class AutoStartCoordinator(
    StationPolicyProvider stations,
    IEvidenceStore evidence,
    IDriverStore drivers,
    ITransactionStore transactions,
    IdTagAuthorizationService idTags,
    IAuthorizationService authorization,
    IChargerCommands chargers,
    TimeProvider time,
    ILogger<AutoStartCoordinator> logger)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _startedForToken = new();

    public async Task TryStartAsync(string chargePointId, int connectorId, CancellationToken cancellationToken)
    {
        var station = await stations.GetForChargePointAsync(chargePointId, cancellationToken);
        if (station is null || !station.Policy.AutoStart || !station.Policy.RequiresAnyFactor)
        {
            return;
        }

        var now = time.GetUtcNow();
        var token = await evidence.GetLatestBiometricTokenAsync(chargePointId, connectorId, now - TimeSpan.FromMinutes(station.Policy.EvidenceWindowMinutes), cancellationToken);
        if (token?.MatchedDriverId is not { } driverId || _startedForToken.ContainsKey(token.Id)
            || await transactions.HasOpenTransactionOnConnectorAsync(chargePointId, connectorId, cancellationToken))
        {
            return;
        }

        string? idTag = await FirstUsableIdTagAsync(driverId, cancellationToken);
        if (idTag is null)
        {
            logger.LogInformation("No usable id tag for driver {DriverId}: not starting {ChargePointId}/{ConnectorId}", driverId, chargePointId, connectorId);
            return;
        }

        var decision = await authorization.AuthorizeAsync(
            new AuthorizationRequest(AuthorizationPhase.RemoteStart, chargePointId, connectorId, idTag), cancellationToken);
        if (!decision.IsAccepted || !_startedForToken.TryAdd(token.Id, now))
        {
            return;
        }

        Prune(now);
        string answer = await chargers.RemoteStartAsync(chargePointId, connectorId, idTag, cancellationToken);
        logger.LogInformation("RemoteStartTransaction on {ChargePointId}/{ConnectorId} for driver {DriverId}: {Status}",
            chargePointId, connectorId, driverId, answer);
    }

    private async Task<string?> FirstUsableIdTagAsync(string driverId, CancellationToken cancellationToken)
    {
        foreach (string idTag in await drivers.GetIdTagsAsync(driverId, cancellationToken))
        {
            if ((await idTags.EvaluateTagAsync(idTag, cancellationToken)).Status == AuthorizationOutcome.Accepted)
            {
                return idTag;
            }
        }

        return null;
    }

    private void Prune(DateTimeOffset now)
    {
        if (_startedForToken.Count < 10_000)
        {
            return;
        }

        foreach (var (tokenId, at) in _startedForToken)
        {
            if (now - at > TimeSpan.FromDays(1))
            {
                _startedForToken.TryRemove(tokenId, out _);
            }
        }
    }
}
