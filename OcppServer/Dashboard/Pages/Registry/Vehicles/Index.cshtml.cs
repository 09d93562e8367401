using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.Vehicles;

public sealed class NewVehicleInput
{
    public string? Plate { get; set; }

    public string? Vin { get; set; }

    /// <summary>Optional: the EV communication controller's id (ISO 15118), e.g. its MAC address.</summary>
    public string? EvccId { get; set; }

    public string? OwnerDriverId { get; set; }

    /// <summary>Driver ids separated by spaces, commas or semicolons.</summary>
    public string? AuthorizedDriverIds { get; set; }

    public IReadOnlyList<string> AuthorizedDriverIdList() =>
        (AuthorizedDriverIds ?? "").Split([' ', ',', ';', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Vehicles, newest first (keyset pages of 50) or found by plate; operators register, block and unblock them through the API's handlers.</summary>
public sealed class IndexModel(IVehicleStore vehicles, IDriverStore drivers, IOptionsMonitor<AuthorizationOptions> options, TimeProvider time)
    : DashboardPageModel
{
    public const int PageSize = 50;

    [BindProperty]
    public NewVehicleInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Plate { get; set; }

    public IReadOnlyList<VehicleRecord> Vehicles { get; private set; } = [];

    public string? NextBefore { get; private set; }

    public Dictionary<string, string> OwnerNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Offered in the owner field (the newest drivers).</summary>
    public IReadOnlyList<DriverSummary> RecentDrivers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var request = new CreateVehicleRequest(Input.Vin, Input.Plate, Input.OwnerDriverId?.Trim(), Input.AuthorizedDriverIdList(),
            string.IsNullOrWhiteSpace(Input.EvccId) ? null : Input.EvccId);
        var created = await RunApiAsync<VehicleView>(
            await VehiclesApi.CreateAsync(request, vehicles, drivers, options, time, cancellationToken),
            "vehicle.create", PlateText.Normalize(Input.Plate ?? ""), $"VIN {Input.Vin?.Trim()}, owner {Input.OwnerDriverId?.Trim()}");
        if (created is not null)
        {
            Flash = $"Vehicle {created.Plate} registered.";
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    [RequiresRole(OperatorRole.Operator)]
    public Task<IActionResult> OnPostBlockAsync(string id, CancellationToken cancellationToken) => SetBlockedAsync(id, true, cancellationToken);

    [RequiresRole(OperatorRole.Operator)]
    public Task<IActionResult> OnPostUnblockAsync(string id, CancellationToken cancellationToken) => SetBlockedAsync(id, false, cancellationToken);

    private async Task<IActionResult> SetBlockedAsync(string id, bool blocked, CancellationToken cancellationToken)
    {
        var vehicle = await vehicles.GetAsync(id, cancellationToken);
        string target = vehicle?.Plate ?? id;
        if (await RunApiAsync(await VehiclesApi.SetBlockedAsync(id, blocked, vehicles, cancellationToken), blocked ? "vehicle.block" : "vehicle.unblock", target, id))
        {
            Flash = blocked ? $"Vehicle {target} blocked: every request naming it is refused." : $"Vehicle {target} unblocked.";
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Plate))
        {
            Plate = PlateText.Normalize(Plate);
            Vehicles = await vehicles.GetByPlateAsync(Plate, cancellationToken) is { } found ? [found] : [];
        }
        else
        {
            Plate = null;
            var rows = await vehicles.ListAsync(string.IsNullOrWhiteSpace(Before) ? null : Before.Trim(), PageSize + 1, cancellationToken);
            Vehicles = rows.Take(PageSize).ToList();
            NextBefore = rows.Count > PageSize ? Vehicles[^1].Id : null;
        }

        foreach (string owner in Vehicles.Select(v => v.OwnerDriverId).Distinct())
        {
            if (await drivers.GetAsync(owner, cancellationToken) is { } driver)
            {
                OwnerNames[owner] = driver.Name;
            }
        }

        if (CanOperate)
        {
            RecentDrivers = await drivers.ListAsync(null, 100, cancellationToken);
        }
    }
}
