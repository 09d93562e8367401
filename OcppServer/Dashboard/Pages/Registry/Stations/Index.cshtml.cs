using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Operators;
using OcppServer.Registry;
using OcppServer.Vision;

namespace OcppServer.Dashboard.Pages.Registry.Stations;

public sealed class NewStationInput
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>A plate format catalogue code (DE, US-CA); empty: the default regions.</summary>
    public string? PlateRegion { get; set; }

    public PolicyInput Policy { get; set; } = new();
}

/// <summary>Every station with its effective policy and its risks; admins create stations (through the API's own handler).</summary>
public sealed class IndexModel(IStationStore stations, StationPolicyProvider policies, PlateFormatCatalogue plateFormats, TimeProvider time)
    : DashboardPageModel
{
    [BindProperty]
    public NewStationInput Input { get; set; } = new();

    public IReadOnlyList<StationView> Stations { get; private set; } = [];

    /// <summary>The regions a station's plate region is chosen from.</summary>
    public IReadOnlyList<PlateRegion> PlateRegions => plateFormats.Regions;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var request = new CreateStationRequest(Input.Id?.Trim(), Input.Name?.Trim(), Input.Policy.ToOverrides(), Input.PlateRegion?.Trim());
            var created = await RunApiAsync<StationView>(
                await StationsApi.CreateAsync(request, stations, policies, plateFormats, time, cancellationToken),
                "station.create", Input.Id ?? "", PolicySummary(request.Policy) + (string.IsNullOrEmpty(request.PlateRegion) ? "" : ", plate region " + request.PlateRegion));
            if (created is not null)
            {
                Flash = created.Risks.Count == 0
                    ? $"Station {created.Id} created."
                    : $"Station {created.Id} created. Its policy has {created.Risks.Count} known risk(s): see its page.";
                return RedirectToPage("/Registry/Stations/Detail", new { id = created.Id });
            }
        }
        else
        {
            await AuditAsync("station.create", Input.Id ?? "", null, "refused: invalid form");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>The overrides an audit record names (only the fields set).</summary>
    internal static string PolicySummary(StationPolicyOverrides? policy) =>
        policy is null ? "default policy" : System.Text.Json.JsonSerializer.Serialize(policy, PolicyJson);

    private static readonly System.Text.Json.JsonSerializerOptions PolicyJson = new(StationPolicyProvider.PolicyJson)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Input.Policy.Defaults = policies.Defaults;
        Stations = await StationsApi.ListAsync(stations, policies, cancellationToken) is IValueHttpResult { Value: IEnumerable<StationView> list }
            ? list.ToList()
            : [];
    }
}
