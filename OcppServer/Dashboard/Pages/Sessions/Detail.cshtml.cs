using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization.Decisions;
using OcppServer.Registry;
using OcppServer.Transactions;

namespace OcppServer.Dashboard.Pages.Sessions;

/// <summary>One transaction as the API shows it, its meter values as a chart and a table, and its decisions.</summary>
public sealed class DetailModel(ITransactionStore transactions, IDecisionStore decisions, IDriverStore drivers) : DashboardPageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public TransactionView Session { get; private set; } = null!;

    public TransactionRecord Record { get; private set; } = null!;

    public DriverRecord? Driver { get; private set; }

    public MeterChart Chart { get; private set; } = null!;

    public IReadOnlyList<DecisionRecord> Decisions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await TransactionsApi.GetAsync(Id, transactions, cancellationToken) is not Ok<TransactionView> { Value: { } view }
            || await transactions.GetAsync(Id, cancellationToken) is not { } record)
        {
            return NotFound();
        }

        Session = view;
        Record = record;
        Chart = MeterChart.For(view);
        Driver = record.DriverId is null ? null : await drivers.GetAsync(record.DriverId, cancellationToken);
        Decisions = await decisions.ListForTransactionAsync(record.ChargePointId, record.Id, 50, cancellationToken);
        return Page();
    }

    public string Status => IndexModel.StatusOf(Record);

    /// <summary>The energy delivered: once stopped, from meterStart to meterStop; while running, to the latest reading.</summary>
    public string Energy =>
        Record.MeterStop is not null || Chart.Energy.Count < 2
            ? IndexModel.Energy(Record) + " kWh"
            : ((Chart.Energy[^1].Value - Record.MeterStart) / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)
              + $" kWh so far (at {Chart.Energy[^1].At:u})";
}
