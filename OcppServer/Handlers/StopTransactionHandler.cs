using OcppServer.Authorization;
using OcppServer.ChargePoints;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Transactions;

namespace OcppServer.Handlers;

/// <summary>
/// Stores the stop and its transaction data. An unknown transactionId is answered normally (a CALLERROR would make
/// the charger resend it forever) and kept for the operator.
/// </summary>
public sealed class StopTransactionHandler(
    IAuthorizationService authorization,
    ITransactionStore transactions,
    TimeProvider time,
    ILogger<StopTransactionHandler> logger) : OcppCallHandler<StopTransactionRequest, StopTransactionResponse>
{
    public override string Action => "StopTransaction";

    public override async Task<StopTransactionResponse> HandleAsync(
        OcppCallContext context, StopTransactionRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var known = await transactions.GetAsync(request.TransactionId, cancellationToken);
        int connectorId = known is not null && known.ChargePointId == context.ChargePointId ? known.ConnectorId : 0;
        var data = MeterValueRows.From(
            context.ChargePointId, connectorId, request.TransactionId, "StopTransaction", request.TransactionData ?? [], now);
        var stop = new TransactionStop(context.ChargePointId, request.TransactionId, request.MeterStop, request.Timestamp, request.Reason, request.IdTag);
        // The stop ends the transaction's connector session and discards its evidence in the same commit.
        if (!await transactions.StopAsync(stop, data, now, cancellationToken))
        {
            HandlerLog.UnknownTransactionStopped(logger, request.TransactionId, context.ChargePointId);
        }

        if (request.IdTag is null)
        {
            return new StopTransactionResponse();
        }

        var result = await authorization.AuthorizeAsync(
            new AuthorizationRequest(AuthorizationPhase.StopTransaction, context.ChargePointId, connectorId, request.IdTag), cancellationToken);
        return new StopTransactionResponse(IdTagInfos.From(result));
    }
}
