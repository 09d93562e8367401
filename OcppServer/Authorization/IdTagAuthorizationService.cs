using OcppServer.Ocpp.Messages;
using OcppServer.Registry;
using OcppServer.Transactions;

namespace OcppServer.Authorization;

/// <summary>Authorization by the id tag table: status, expiry, parent id tag, and one transaction at a time.</summary>
public sealed class IdTagAuthorizationService(IIdTagStore idTags, ITransactionStore transactions, TimeProvider time)
{
    public async Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var info = await EvaluateTagAsync(request.IdTag, cancellationToken);
        if (info.Status == AuthorizationStatus.Accepted
            && request.Phase == AuthorizationPhase.StartTransaction
            && await transactions.HasOpenTransactionAsync(request.IdTag, cancellationToken))
        {
            info = info with { Status = AuthorizationStatus.ConcurrentTx };
        }

        return new AuthorizationResult(info);
    }

    /// <summary>Deepest chain of parent id tags followed; a longer (or circular) chain is refused.</summary>
    private const int MaxParentDepth = 4;

    /// <summary>
    /// The id tag's status, considering expiry and its parent. OCPP 1.6 makes the parentIdTag the group the tag belongs
    /// to: a tag is Accepted only when its group is too. A group that is Blocked, Expired or Invalid passes that status
    /// on; one that is not registered makes the tag Invalid (an unknown group vouches for nobody).
    /// </summary>
    public async Task<IdTagInfo> EvaluateTagAsync(string idTag, CancellationToken cancellationToken)
    {
        var tag = await idTags.GetAsync(idTag, cancellationToken);
        if (tag is null)
        {
            return new IdTagInfo(AuthorizationStatus.Invalid);
        }

        var now = time.GetUtcNow();
        var status = OwnStatus(tag, now);
        string? parentId = tag.ParentIdTag;
        for (int depth = 0; status == AuthorizationStatus.Accepted && parentId is not null; depth++)
        {
            var parent = depth < MaxParentDepth ? await idTags.GetAsync(parentId, cancellationToken) : null;
            status = parent is null ? AuthorizationStatus.Invalid : OwnStatus(parent, now);
            parentId = parent?.ParentIdTag;
        }

        return new IdTagInfo(status, tag.ExpiryDate, tag.ParentIdTag);
    }

    private static AuthorizationStatus OwnStatus(IdTagRecord tag, DateTimeOffset now)
    {
        var status = Enum.Parse<AuthorizationStatus>(tag.Status);
        return status == AuthorizationStatus.Accepted && tag.ExpiryDate is { } expiry && expiry <= now ? AuthorizationStatus.Expired : status;
    }
}
