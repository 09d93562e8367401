using OcppServer.Authorization;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;

namespace OcppServer.Handlers;

public sealed class AuthorizeHandler(IAuthorizationService authorization) : OcppCallHandler<AuthorizeRequest, AuthorizeResponse>
{
    public override string Action => "Authorize";

    public override async Task<AuthorizeResponse> HandleAsync(OcppCallContext context, AuthorizeRequest request, CancellationToken cancellationToken)
    {
        var result = await authorization.AuthorizeAsync(
            new AuthorizationRequest(AuthorizationPhase.Authorize, context.ChargePointId, ConnectorId: null, request.IdTag), cancellationToken);
        return new AuthorizeResponse(IdTagInfos.From(result));
    }
}
