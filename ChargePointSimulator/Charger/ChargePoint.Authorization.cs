using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

public sealed partial class ChargePoint
{
    /// <summary>
    /// Authorizes an idTag as firmware does (OCPP 1.6 §3.5): with LocalPreAuthorize a locally known, valid idTag is
    /// accepted without asking; on line an Authorize is sent (and cached); off line the local list and cache decide
    /// when LocalAuthorizeOffline, and unknown idTags are accepted only when AllowOfflineTxForUnknownId.
    /// </summary>
    public async Task<IdTagInfo> AuthorizeAsync(string idTag, CancellationToken cancellationToken = default)
    {
        if (_outbox.Online && Configuration.GetBool(ConfigurationKeys.LocalPreAuthorize) && LocalDecision(idTag) is { Status: AuthorizationStatus.Accepted } pre)
        {
            Raise(ChargePointEventKind.Authorized, $"{idTag} accepted locally (LocalPreAuthorize)");
            return pre;
        }

        if (_outbox.Online)
        {
            try
            {
                var response = await Send("Authorize", new AuthorizeRequest(idTag)).WaitAsync(cancellationToken);
                var info = OcppJson.Deserialize<AuthorizeResponse>(response).IdTagInfo;
                CacheIdTagInfo(idTag, info);
                RaiseAuthorization(idTag, info, "central system");
                return info;
            }
            catch (Exception ex) when (ex is OcppNotConnectedException or OcppCallTimeoutException)
            {
                // Fall through to the off-line decision.
            }
        }

        IdTagInfo decision;
        if (Configuration.GetBool(ConfigurationKeys.LocalAuthorizeOffline) && LocalDecision(idTag) is { } local)
        {
            decision = local;
        }
        else
        {
            decision = new IdTagInfo(Configuration.GetBool(ConfigurationKeys.AllowOfflineTxForUnknownId) ? AuthorizationStatus.Accepted : AuthorizationStatus.Invalid);
        }

        RaiseAuthorization(idTag, decision, "off line");
        return decision;
    }

    /// <summary>The local list first, then the cache (if enabled); expired entries count as Expired.</summary>
    private IdTagInfo? LocalDecision(string idTag)
    {
        var info = (Configuration.GetBool(ConfigurationKeys.LocalAuthListEnabled) ? LocalList.Get(idTag) : null)
            ?? (Configuration.GetBool(ConfigurationKeys.AuthorizationCacheEnabled) ? AuthorizationCache.Get(idTag) : null);
        if (info is { Status: AuthorizationStatus.Accepted, ExpiryDate: { } expiry } && expiry <= _time.GetUtcNow())
        {
            return info with { Status = AuthorizationStatus.Expired };
        }

        return info;
    }

    private void CacheIdTagInfo(string idTag, IdTagInfo info)
    {
        if (Configuration.GetBool(ConfigurationKeys.AuthorizationCacheEnabled))
        {
            AuthorizationCache.Update(idTag, info);
        }
    }

    private void RaiseAuthorization(string idTag, IdTagInfo info, string source) =>
        Raise(info.Status == AuthorizationStatus.Accepted ? ChargePointEventKind.Authorized : ChargePointEventKind.AuthorizationRefused,
            $"{idTag} {info.Status} ({source})");
}
