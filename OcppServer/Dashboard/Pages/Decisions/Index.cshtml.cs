using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Authorization.Decisions;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Decisions;

/// <summary>
/// Every decision of the gate (Authorize, StartTransaction, RemoteStart), newest first, 50 a page (keyset: older than
/// <see cref="Before"/>), filtered by result, reason, driver, station, charge point and phase.
/// </summary>
public sealed class IndexModel(IDecisionStore decisions, IStationStore stations, IDriverStore drivers, IVehicleStore vehicles) : DashboardPageModel
{
    public const int PageSize = 50;

    /// <summary>The phases a decision is taken in (StopTransaction is reported, never decided).</summary>
    public static readonly IReadOnlyList<string> Phases =
        [nameof(AuthorizationPhase.Authorize), nameof(AuthorizationPhase.StartTransaction), nameof(AuthorizationPhase.RemoteStart)];

    /// <summary>Every reason a decision can name, for the reason filter.</summary>
    public static readonly IReadOnlyList<string> ReasonNames =
        Enum.GetValues<DecisionReason>().Where(r => r != DecisionReason.Unrecognised).Select(r => r.ToString()).ToList();

    [BindProperty(SupportsGet = true)]
    public bool Refused { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Driver { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Station { get; set; }

    [BindProperty(SupportsGet = true, Name = "chargepoint")]
    public string? ChargePoint { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Phase { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<DecisionView> Decisions { get; private set; } = [];

    public IReadOnlyList<StationRecord> Stations { get; private set; } = [];

    /// <summary>The names of the drivers on this page, by id (a driver deleted since is shown by id).</summary>
    public Dictionary<string, string> DriverNames { get; } = new(StringComparer.Ordinal);

    /// <summary>The plates of the vehicles on this page, by id.</summary>
    public Dictionary<string, string> VehiclePlates { get; } = new(StringComparer.Ordinal);

    /// <summary>The id to ask for the next (older) page with; null on the last page.</summary>
    public long? NextBefore { get; private set; }

    public bool Filtered => Refused || Reason is not null || Driver is not null || Station is not null || ChargePoint is not null || Phase is not null;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Reason = NullIfBlank(Reason);
        Driver = NullIfBlank(Driver);
        Station = NullIfBlank(Station);
        ChargePoint = NullIfBlank(ChargePoint);
        Phase = NullIfBlank(Phase);
        var filter = new DecisionFilter
        {
            RefusedOnly = Refused,
            Reason = Reason,
            DriverId = Driver,
            StationId = Station,
            ChargePointId = ChargePoint,
            Phase = Phase,
        };
        var rows = await decisions.ListAsync(filter, Before is > 0 ? Before : null, PageSize, cancellationToken);
        Decisions = rows.Select(AuthorizationsApi.ToView).ToList();
        // A full page may have more behind it; a short one is the last (an empty next page is possible, never a missed row).
        NextBefore = rows.Count == PageSize ? rows[^1].Id : null;
        Stations = await stations.ListAsync(cancellationToken);
        foreach (string id in rows.Select(r => r.DriverId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await drivers.GetAsync(id, cancellationToken) is { } driver)
            {
                DriverNames[id] = driver.Name;
            }
        }

        foreach (string id in rows.Select(r => r.VehicleId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await vehicles.GetAsync(id, cancellationToken) is { } vehicle)
            {
                VehiclePlates[id] = vehicle.Plate;
            }
        }
    }

    /// <summary>This list's address with the current filters, older than <paramref name="before"/> when given.</summary>
    public string PageUrl(long? before)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("refused", Refused ? "true" : null);
        Add("reason", Reason);
        Add("driver", Driver);
        Add("station", Station);
        Add("chargepoint", ChargePoint);
        Add("phase", Phase);
        Add("before", before?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return query.Count == 0 ? "/decisions" : "/decisions?" + string.Join("&", query);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
