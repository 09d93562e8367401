using Microsoft.AspNetCore.Mvc;
using OcppServer.Registry;
using OcppServer.Transactions;

namespace OcppServer.Dashboard.Pages.Sessions;

/// <summary>Transactions, newest first, 50 a page (keyset on the id), filtered by state, charge point and id tag.</summary>
public sealed class IndexModel(ITransactionStore transactions, IDriverStore drivers) : DashboardPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ChargePoint { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? IdTag { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Before { get; set; }

    public IReadOnlyList<TransactionRecord> Rows { get; private set; } = [];

    public int? NextBefore { get; private set; }

    public IReadOnlyDictionary<string, DriverRecord> Drivers { get; private set; } = new Dictionary<string, DriverRecord>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        State = State is "running" or "stopped" ? State : null;
        var filter = new TransactionFilter(State switch { "running" => true, "stopped" => false, _ => null }, Blank(ChargePoint), Blank(IdTag));
        var page = await transactions.ListPageAsync(filter, Before, PageSize + 1, cancellationToken);
        Rows = page.Take(PageSize).ToList();
        NextBefore = page.Count > PageSize ? Rows[^1].Id : null;
        var found = new Dictionary<string, DriverRecord>(StringComparer.Ordinal);
        foreach (string id in Rows.Select(r => r.DriverId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await drivers.GetAsync(id, cancellationToken) is { } driver)
            {
                found[id] = driver;
            }
        }

        Drivers = found;
    }

    /// <summary>running, stopped, or (a start the gate refused) its start status.</summary>
    public static string StatusOf(TransactionRecord t) =>
        t.StopTimestamp is not null ? "stopped" : t.StartStatus == "Accepted" ? "running" : t.StartStatus;

    /// <summary>The energy delivered, in kWh, once the session stopped.</summary>
    public static string Energy(TransactionRecord t) =>
        t.MeterStop is { } stop ? ((stop - t.MeterStart) / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "—";

    public string PageLink(int? before) =>
        "/sessions?" + string.Join("&", new[]
            {
                ("state", State), ("chargePoint", ChargePoint), ("idTag", IdTag),
                ("before", before?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }
            .Where(kv => !string.IsNullOrEmpty(kv.Item2))
            .Select(kv => $"{kv.Item1}={Uri.EscapeDataString(kv.Item2!)}"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
