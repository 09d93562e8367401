using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Operators;
using OcppServer.Registry;
using OcppServer.Vision;

namespace OcppServer.Dashboard.Pages.Registry.Stations;

/// <summary>One station: its policy spelt out (what each factor guards, what a weak setting lets through) and, for admins, its change.</summary>
public sealed class DetailModel(IStationStore stations, ICameraStore cameras, StationPolicyProvider policies, PlateFormatCatalogue plateFormats)
    : DashboardPageModel
{
    [BindProperty(SupportsGet = false)]
    public PolicyInput Input { get; set; } = new();

    /// <summary>The plate region form (a catalogue code; empty: the default regions).</summary>
    [BindProperty(SupportsGet = false)]
    public PlateRegionInput RegionInput { get; set; } = new();

    /// <summary>The regions a station's plate region is chosen from.</summary>
    public IReadOnlyList<PlateRegion> PlateRegions => plateFormats.Regions;

    /// <summary>The station's plate region as the catalogue names it, or null.</summary>
    public PlateRegion? StationPlateRegion => plateFormats.Find(Station.PlateRegion);

    public StationView Station { get; private set; } = null!;

    public IReadOnlyList<CameraRecord> Cameras { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var row = await stations.GetAsync(id, cancellationToken);
        RegionInput = new PlateRegionInput { PlateRegion = row?.PlateRegion };
        Input = PolicyInput.From(
            row?.Policy is null ? null : JsonSerializer.Deserialize<StationPolicyOverrides>(row.Policy, StationPolicyProvider.PolicyJson),
            policies.Defaults);
        return Page();
    }

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostPolicyAsync(string id, CancellationToken cancellationToken)
    {
        if (await stations.GetAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        var overrides = Input.ToOverrides();
        if (ModelState.IsValid)
        {
            var changed = await RunApiAsync<StationView>(
                await StationsApi.SetPolicyAsync(id, overrides, stations, policies, cancellationToken),
                "station.policy", id, IndexModel.PolicySummary(overrides));
            if (changed is not null)
            {
                Flash = changed.Risks.Count == 0
                    ? $"Policy of {id} saved."
                    : $"Policy of {id} saved, with {changed.Risks.Count} known risk(s) listed below.";
                return RedirectToPage(new { id });
            }
        }
        else
        {
            await AuditAsync("station.policy", id, null, "refused: invalid form");
        }

        await LoadAsync(id, cancellationToken);
        Input.Defaults = policies.Defaults;
        return Page();
    }

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostPlateRegionAsync(string id, CancellationToken cancellationToken)
    {
        if (await stations.GetAsync(id, cancellationToken) is not { } row)
        {
            return NotFound();
        }

        string? region = string.IsNullOrWhiteSpace(RegionInput.PlateRegion) ? null : RegionInput.PlateRegion.Trim();
        var changed = await RunApiAsync<StationView>(
            await StationsApi.SetPlateRegionAsync(id, new SetPlateRegionRequest(region), stations, policies, plateFormats, cancellationToken),
            "station.plate-region", id, $"{row.PlateRegion ?? "default"} → {region ?? "default"}", prefix: nameof(RegionInput));
        if (changed is not null)
        {
            Flash = $"Plate region of {id}: {changed.PlateRegion ?? "default"}.";
            return RedirectToPage(new { id });
        }

        await LoadAsync(id, cancellationToken);
        Input = PolicyInput.From(
            row.Policy is null ? null : JsonSerializer.Deserialize<StationPolicyOverrides>(row.Policy, StationPolicyProvider.PolicyJson),
            policies.Defaults);
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await StationsApi.GetAsync(id, stations, policies, cancellationToken) is not IValueHttpResult { Value: StationView station })
        {
            return false;
        }

        Station = station;
        Cameras = await cameras.ListAsync(id, cancellationToken);
        return true;
    }
}

/// <summary>The plate region form of a station.</summary>
public sealed class PlateRegionInput
{
    public string? PlateRegion { get; set; }
}
