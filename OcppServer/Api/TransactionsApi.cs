using OcppServer.Transactions;

namespace OcppServer.Api;

public sealed record SampledValueView(
    DateTimeOffset Timestamp, string Value, string? Measurand, string? Unit, string? Phase, string? Context, string? Location, string? Format, string Source);

public sealed record TransactionView(
    int TransactionId,
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    string StartStatus,
    int MeterStart,
    DateTimeOffset StartTimestamp,
    int? ReservationId,
    int? MeterStop,
    DateTimeOffset? StopTimestamp,
    string? StopReason,
    string? StopIdTag,
    IReadOnlyList<SampledValueView> MeterValues);

public static class TransactionsApi
{
    public static RouteGroupBuilder MapTransactionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/transactions").WithTags("Transactions");
        group.MapGet("/", ListAsync).WithName("ListTransactions").WithSummary("Newest first, with their meter values")
            .Produces<List<TransactionView>>();
        group.MapGet("/{id:int}", GetAsync).WithName("GetTransaction").WithSummary("One transaction with its meter values")
            .Produces<TransactionView>().ProducesProblems(404);
        return api;
    }

    public static async Task<IResult> ListAsync(string? chargePointId, int? limit, ITransactionStore transactions, CancellationToken cancellationToken)
    {
        var rows = await transactions.ListAsync(chargePointId, ApiProblems.ClampLimit(limit), cancellationToken);
        return TypedResults.Ok(await ToViewsAsync(rows, transactions, cancellationToken));
    }

    public static async Task<IResult> GetAsync(int id, ITransactionStore transactions, CancellationToken cancellationToken)
    {
        var row = await transactions.GetAsync(id, cancellationToken);
        return row is null
            ? ApiProblems.NotFound($"Transaction {id} does not exist")
            : TypedResults.Ok((await ToViewsAsync([row], transactions, cancellationToken))[0]);
    }

    private static async Task<IReadOnlyList<TransactionView>> ToViewsAsync(
        IReadOnlyList<TransactionRecord> rows, ITransactionStore transactions, CancellationToken cancellationToken)
    {
        var values = rows.Count == 0 ? [] : await transactions.GetMeterValuesAsync(rows.Select(r => r.Id).ToList(), cancellationToken);
        var byTransaction = values.ToLookup(v => v.TransactionId);
        return rows.Select(r => new TransactionView(
            r.Id, r.ChargePointId, r.ConnectorId, r.IdTag, r.StartStatus, r.MeterStart, r.StartTimestamp, r.ReservationId, r.MeterStop,
            r.StopTimestamp, r.StopReason, r.StopIdTag,
            byTransaction[r.Id].Select(v => new SampledValueView(v.Timestamp, v.Value, v.Measurand, v.Unit, v.Phase, v.Context, v.Location, v.Format, v.Source)).ToList()))
            .ToList();
    }
}
