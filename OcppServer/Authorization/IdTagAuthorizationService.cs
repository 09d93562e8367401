using OcppServer.Authorization.Decisions;
using OcppServer.Registry;
using OcppServer.Transactions;

namespace OcppServer.Authorization;

/// <summary>An id tag's own standing: its status (group and expiry considered), expiry and group.</summary>
public sealed record IdTagStanding(AuthorizationOutcome Status, DateTimeOffset? ExpiryDate = null, string? ParentIdTag = null);

/// <summary>Authorization by the id tag table: status, expiry, parent id tag, and one transaction at a time.</summary>
public sealed class IdTagAuthorizationService(IIdTagStore idTags, ITransactionStore transactions, TimeProvider time)
{
    public async Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var standing = await EvaluateTagAsync(request.IdTag, cancellationToken);
        if (standing.Status == AuthorizationOutcome.Accepted
            && request.Phase == AuthorizationPhase.StartTransaction
            && await transactions.HasOpenTransactionAsync(request.IdTag, cancellationToken))
        {
            standing = standing with { Status = AuthorizationOutcome.ConcurrentTx };
        }

        return new AuthorizationResult(
            standing.Status, DecisionReasons.ForIdTag(standing.Status), standing.ExpiryDate, standing.ParentIdTag);
    }

    /// <summary>Deepest chain of parent id tags followed; a longer (or circular) chain is refused.</summary>
    private const int MaxParentDepth = 4;

    /// <summary>
    /// The id tag's status, considering expiry and its parent. OCPP 1.6 makes the parentIdTag the group the tag belongs
    /// to: a tag is Accepted only when its group is too. A group that is Blocked, Expired or Invalid passes that status
    /// on; one that is not registered makes the tag Invalid (an unknown group vouches for nobody).
    /// </summary>
    public async Task<IdTagStanding> EvaluateTagAsync(string idTag, CancellationToken cancellationToken)
    {
        var tag = await idTags.GetAsync(idTag, cancellationToken);
        if (tag is null)
        {
            return new IdTagStanding(AuthorizationOutcome.Invalid);
        }

        var now = time.GetUtcNow();
        var status = OwnStatus(tag, now);
        string? parentId = tag.ParentIdTag;
        for (int depth = 0; status == AuthorizationOutcome.Accepted && parentId is not null; depth++)
        {
            var parent = depth < MaxParentDepth ? await idTags.GetAsync(parentId, cancellationToken) : null;
            status = parent is null ? AuthorizationOutcome.Invalid : OwnStatus(parent, now);
            parentId = parent?.ParentIdTag;
        }

        return new IdTagStanding(status, tag.ExpiryDate, tag.ParentIdTag);
    }

    private static AuthorizationOutcome OwnStatus(IdTagRecord tag, DateTimeOffset now)
    {
        // The registry stores the OCPP status names (Accepted | Blocked | Expired | Invalid).
        var status = Enum.TryParse<AuthorizationOutcome>(tag.Status, out var parsed) ? parsed : AuthorizationOutcome.Invalid;
        return status == AuthorizationOutcome.Accepted && tag.ExpiryDate is { } expiry && expiry <= now ? AuthorizationOutcome.Expired : status;
    }
}
