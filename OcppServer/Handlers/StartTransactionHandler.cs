using OcppServer.Authorization;
using OcppServer.Authorization.Gate;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Transactions;

namespace OcppServer.Handlers;

/// <summary>
/// Decides the start through the gate, stores the transaction with its decision (consuming its evidence when Accepted)
/// in one commit and answers only after that is committed. A refused transaction still gets a transactionId; if the
/// charger keeps it running it is stopped remotely.
/// </summary>
public sealed class StartTransactionHandler(
    IAuthorizationService authorization,
    ITransactionStore transactions,
    RefusedTransactionEnforcer enforcer,
    TimeProvider time) : OcppCallHandler<StartTransactionRequest, StartTransactionResponse>
{
    public override string Action => "StartTransaction";

    public override async Task<StartTransactionResponse> HandleAsync(
        OcppCallContext context, StartTransactionRequest request, CancellationToken cancellationToken)
    {
        var content = new NewTransaction(
            context.ChargePointId, request.ConnectorId, request.IdTag, request.MeterStart, request.Timestamp, request.ReservationId,
            StartStatus: string.Empty);

        // A resend (new message id, same content) of a transaction still open gets the transaction and the answer of the
        // first one; after its stop the same content is decided anew (its evidence is consumed by then).
        if (await transactions.FindOpenByContentAsync(content, cancellationToken) is { } earlier)
        {
            return new StartTransactionResponse(new IdTagInfo(Enum.Parse<AuthorizationStatus>(earlier.StartStatus)), earlier.TransactionId);
        }

        var decision = await authorization.DecideAsync(
            new AuthorizationRequest(AuthorizationPhase.StartTransaction, context.ChargePointId, request.ConnectorId, request.IdTag),
            cancellationToken);
        var started = await transactions.StartConsumingAsync(
            content with { StartStatus = IdTagInfos.ToStatus(decision.Outcome).ToString() },
            decision.IsAccepted ? decision.Evidence : null,
            statusIfEvidenceTaken: nameof(AuthorizationStatus.Invalid),
            decision.Unrecorded,
            time.GetUtcNow(),
            cancellationToken);

        var status = Enum.Parse<AuthorizationStatus>(started.StartStatus);

        if (status != AuthorizationStatus.Accepted)
        {
            string chargePointId = context.ChargePointId;
            context.RunAfterReply(ct => enforcer.EnforceAsync(chargePointId, started.TransactionId, ct));
        }

        var info = status == IdTagInfos.ToStatus(decision.Outcome) ? IdTagInfos.From(decision) : new IdTagInfo(status);
        return new StartTransactionResponse(info, started.TransactionId);
    }
}
