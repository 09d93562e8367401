using OcppServer.Authorization;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Storage.Repositories;

namespace OcppServer.Handlers;

public sealed class StartTransactionHandler(
    IAuthorizationService authorization,
    TransactionRepository transactions,
    TimeProvider time) : OcppCallHandler<StartTransactionRequest, StartTransactionResponse>
{
    public override string Action => "StartTransaction";

    public override async Task<StartTransactionResponse> HandleAsync(
        OcppCallContext context, StartTransactionRequest request, CancellationToken cancellationToken)
    {
        var content = new NewTransaction(
            context.ChargePointId, request.ConnectorId, request.IdTag, request.MeterStart, request.Timestamp, request.ReservationId,
            StartStatus: string.Empty);

        // A resend (new message id, same content) gets the transaction and the answer of the first one.
        if (await transactions.FindByContentAsync(content, cancellationToken) is { } earlier)
        {
            return new StartTransactionResponse(new IdTagInfo(Enum.Parse<AuthorizationStatus>(earlier.StartStatus)), earlier.TransactionId);
        }

        var decision = await authorization.AuthorizeAsync(
            new AuthorizationRequest(AuthorizationPhase.StartTransaction, context.ChargePointId, request.ConnectorId, request.IdTag),
            cancellationToken);
        var started = await transactions.StartAsync(
            content with { StartStatus = decision.IdTagInfo.Status.ToString() }, time.GetUtcNow(), cancellationToken);
        var status = Enum.Parse<AuthorizationStatus>(started.StartStatus);
        return new StartTransactionResponse(decision.IdTagInfo with { Status = status }, started.TransactionId);
    }
}
