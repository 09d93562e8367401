using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Transactions;

namespace OcppServer.Handlers;

public sealed class MeterValuesHandler(ITransactionStore transactions, TimeProvider time)
    : OcppCallHandler<MeterValuesRequest, MeterValuesResponse>
{
    public override string Action => "MeterValues";

    public override async Task<MeterValuesResponse> HandleAsync(OcppCallContext context, MeterValuesRequest request, CancellationToken cancellationToken)
    {
        var rows = MeterValueRows.From(
            context.ChargePointId, request.ConnectorId, request.TransactionId, "MeterValues", request.MeterValue, time.GetUtcNow());
        await transactions.InsertMeterValuesAsync(rows, cancellationToken);
        return new MeterValuesResponse();
    }
}
