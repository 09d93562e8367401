using OcppServer.Authorization.Decisions;
using OcppServer.Transactions;

namespace OcppServer.Authorization;

public enum AuthorizationPhase
{
    Authorize,
    StartTransaction,
    StopTransaction,
    RemoteStart,
}

/// <summary>What the gate answers (the statuses OCPP 1.6 gives an id tag, which the handlers map to the wire).</summary>
public enum AuthorizationOutcome
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
    ConcurrentTx,
}

public sealed record AuthorizationRequest(AuthorizationPhase Phase, string ChargePointId, int? ConnectorId, string IdTag);

/// <summary>
/// The gate's answer (the handlers map it to the OCPP idTagInfo): its outcome and why, until when an Accepted holds,
/// the id tag's group, the evidence a transaction would consume, and (from <see cref="IAuthorizationService.DecideAsync"/>)
/// the decision still to record.
/// </summary>
public sealed record AuthorizationResult(
    AuthorizationOutcome Outcome,
    DecisionReason Reason,
    DateTimeOffset? ExpiryDate = null,
    string? ParentIdTag = null,
    TransactionEvidence? Evidence = null,
    DecisionRecord? Unrecorded = null)
{
    public bool IsAccepted => Outcome == AuthorizationOutcome.Accepted;
}

/// <summary>The one place Authorize, StartTransaction and server-started charging (and StopTransaction's idTagInfo) are decided.</summary>
public interface IAuthorizationService
{
    /// <summary>Decides and records the decision in a commit of its own.</summary>
    Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Decides without recording: the caller must record <see cref="AuthorizationResult.Unrecorded"/> in the commit
    /// that acts on the decision (a started transaction is stored with its decision, one commit instead of two).
    /// </summary>
    Task<AuthorizationResult> DecideAsync(AuthorizationRequest request, CancellationToken cancellationToken);
}
