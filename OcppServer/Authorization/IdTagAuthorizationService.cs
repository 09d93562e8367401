using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Authorization;

/// <summary>Authorization by the id tag table: status, expiry, parent id tag, and one transaction at a time.</summary>
public sealed class IdTagAuthorizationService(IdTagRepository idTags, TransactionRepository transactions, TimeProvider time)
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

    /// <summary>The id tag's own status, considering expiry and its parent.</summary>
    public async Task<IdTagInfo> EvaluateTagAsync(string idTag, CancellationToken cancellationToken)
    {
        var tag = await idTags.GetAsync(idTag, cancellationToken);
        if (tag is null)
        {
            return new IdTagInfo(AuthorizationStatus.Invalid);
        }

        var now = time.GetUtcNow();
        var status = Enum.Parse<AuthorizationStatus>(tag.Status);
        if (status == AuthorizationStatus.Accepted && tag.ExpiryDate is { } expiry && expiry <= now)
        {
            status = AuthorizationStatus.Expired;
        }

        if (status == AuthorizationStatus.Accepted && tag.ParentIdTag is not null)
        {
            var parent = await idTags.GetAsync(tag.ParentIdTag, cancellationToken);
            if (parent is not null && parent.Status == nameof(AuthorizationStatus.Blocked))
            {
                status = AuthorizationStatus.Blocked;
            }
        }

        return new IdTagInfo(status, tag.ExpiryDate, tag.ParentIdTag);
    }
}
