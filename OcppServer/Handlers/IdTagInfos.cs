using OcppServer.Authorization;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

/// <summary>The gate's answer as the OCPP 1.6 idTagInfo a charger receives.</summary>
internal static class IdTagInfos
{
    public static IdTagInfo From(AuthorizationResult result) => new(ToStatus(result.Outcome), result.ExpiryDate, result.ParentIdTag);

    public static AuthorizationStatus ToStatus(AuthorizationOutcome outcome) => outcome switch
    {
        AuthorizationOutcome.Accepted => AuthorizationStatus.Accepted,
        AuthorizationOutcome.Blocked => AuthorizationStatus.Blocked,
        AuthorizationOutcome.Expired => AuthorizationStatus.Expired,
        AuthorizationOutcome.ConcurrentTx => AuthorizationStatus.ConcurrentTx,
        _ => AuthorizationStatus.Invalid,
    };
}
