using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Authorization;

public enum AuthorizationPhase
{
    Authorize,
    StartTransaction,
    StopTransaction,
    RemoteStart,
}

public sealed record AuthorizationRequest(AuthorizationPhase Phase, string ChargePointId, int? ConnectorId, string IdTag);

/// <summary>The answer to give, the decision it was recorded as, and the evidence a transaction would consume.</summary>
public sealed record AuthorizationResult(IdTagInfo IdTagInfo, long? DecisionId = null, TransactionEvidence? Evidence = null, string? Reason = null)
{
    public bool IsAccepted => IdTagInfo.Status == AuthorizationStatus.Accepted;
}

/// <summary>The one place Authorize, StartTransaction and server-started charging (and StopTransaction's idTagInfo) are decided.</summary>
public interface IAuthorizationService
{
    Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken);
}
