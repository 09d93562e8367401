using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.Cameras;

public sealed class NewCameraInput
{
    public string? Id { get; set; }

    public string? StationId { get; set; }
}

/// <summary>
/// Entrance cameras; admins register them through the API's handler. The new camera's key is rendered in the answer to
/// that POST only (no redirect, nothing in TempData, never stored in clear): the list never shows it again.
/// </summary>
public sealed class IndexModel(ICameraStore cameras, IStationStore stations, TimeProvider time) : DashboardPageModel
{
    [BindProperty]
    public NewCameraInput Input { get; set; } = new();

    public IReadOnlyList<CameraRecord> Cameras { get; private set; } = [];

    public IReadOnlyList<StationRecord> Stations { get; private set; } = [];

    /// <summary>Set only in the answer to a successful registration.</summary>
    public RegisteredCameraView? Registered { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        var request = new RegisterCameraRequest(Input.Id?.Trim(), string.IsNullOrEmpty(Input.StationId) ? null : Input.StationId);
        Registered = await RunApiAsync<RegisteredCameraView>(
            await CamerasApi.RegisterAsync(request, cameras, stations, time, cancellationToken),
            "camera.register", Input.Id ?? "", $"station {Input.StationId}");
        if (Registered is not null)
        {
            ModelState.Clear();
            Input = new();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Cameras = await cameras.ListAsync(null, cancellationToken);
        Stations = await stations.ListAsync(cancellationToken);
    }
}
