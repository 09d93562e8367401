using OcppServer.Ocpp.Messages;

namespace OcppServer.Authorization;

public enum AuthorizationPhase
{
    Authorize,
    StartTransaction,
    StopTransaction,
    RemoteStart,
}

public sealed record AuthorizationRequest(AuthorizationPhase Phase, string ChargePointId, int? ConnectorId, string IdTag);

public sealed record AuthorizationResult(IdTagInfo IdTagInfo)
{
    public bool IsAccepted => IdTagInfo.Status == AuthorizationStatus.Accepted;
}

/// <summary>The one place Authorize and StartTransaction (and StopTransaction's idTagInfo) are decided.</summary>
public interface IAuthorizationService
{
    Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken);
}
