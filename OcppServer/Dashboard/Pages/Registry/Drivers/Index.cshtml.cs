using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.Drivers;

public sealed class NewDriverInput
{
    public string? Name { get; set; }

    /// <summary>Id tags separated by spaces, commas or semicolons.</summary>
    public string? IdTags { get; set; }

    public IReadOnlyList<string> IdTagList() =>
        (IdTags ?? "").Split([' ', ',', ';', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Drivers, newest first (keyset pages of 50); operators create them (through the API's own handler).</summary>
public sealed class IndexModel(IDriverStore drivers, TimeProvider time) : DashboardPageModel
{
    public const int PageSize = 50;

    [BindProperty]
    public NewDriverInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Before { get; set; }

    public IReadOnlyList<DriverSummary> Drivers { get; private set; } = [];

    public string? NextBefore { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var idTags = Input.IdTagList();
        var created = await RunApiAsync<DriverView>(
            await DriversApi.CreateAsync(new CreateDriverRequest(Input.Name, idTags), drivers, time, cancellationToken),
            "driver.create", Input.Name ?? "", idTags.Count == 0 ? null : "id tags " + string.Join(", ", idTags));
        if (created is not null)
        {
            Flash = $"Driver {created.Name} created. Enrol their face below.";
            return RedirectToPage("/Registry/Drivers/Detail", new { id = created.Id });
        }

        Before = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await drivers.ListAsync(NullIfBlank(Before), PageSize + 1, cancellationToken);
        Drivers = rows.Take(PageSize).ToList();
        NextBefore = rows.Count > PageSize ? Drivers[^1].Driver.Id : null;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
