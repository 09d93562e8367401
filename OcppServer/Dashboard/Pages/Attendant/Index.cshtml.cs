using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Authorization.PreVerification;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Attendant;

public sealed class AttendantInput
{
    public string? StationId { get; set; }

    public string? Plate { get; set; }

    public string? Note { get; set; }
}

/// <summary>
/// The attendant's tablet page: a plate the camera could not read is entered by hand and goes the API's way
/// (<see cref="StationsApi.AttendantPreVerificationAsync"/>: source Attendant), and the verdict is shown at once.
/// The note goes to the audit record.
/// </summary>
public sealed class IndexModel(
    IStationStore stations, IVehicleStore vehicles, IDriverStore drivers, PreVerificationRecorder recorder, TimeProvider time) : DashboardPageModel
{
    public const int MaxNoteLength = 200;

    [BindProperty]
    public AttendantInput Input { get; set; } = new();

    /// <summary>Preselects a station (the station page links here).</summary>
    [BindProperty(SupportsGet = true, Name = "station")]
    public string? Station { get; set; }

    public IReadOnlyList<StationRecord> Stations { get; private set; } = [];

    public PreVerificationView? Result { get; private set; }

    public VehicleRecord? Vehicle { get; private set; }

    public string? OwnerName { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input.StationId = Station;
        await LoadAsync(cancellationToken);
    }

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        string station = Input.StationId?.Trim() ?? "";
        string? note = string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            ModelState.AddModelError("Input.Note", $"The note is at most {MaxNoteLength} characters.");
            await AuditAsync("attendant.plate", station, null, "refused: note too long");
        }
        else
        {
            var result = await StationsApi.AttendantPreVerificationAsync(
                station, new AttendantPreVerificationRequest(Input.Plate), stations, recorder, time, cancellationToken);
            if (result is ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } notFound)
            {
                // The station is in the API's path; on this form it is a field.
                notFound.ProblemDetails.Extensions[ApiProblems.FieldExtension] = "stationId";
            }

            string detail = $"plate {PlateText.Normalize(Input.Plate ?? "")}" + (note is null ? "" : $"; note: {note}");
            Result = await RunApiAsync<PreVerificationView>(result, "attendant.plate", station, detail);
        }

        if (Result is not null)
        {
            if (Result.VehicleId is { } vehicleId && await vehicles.GetAsync(vehicleId, cancellationToken) is { } vehicle)
            {
                Vehicle = vehicle;
                OwnerName = (await drivers.GetAsync(vehicle.OwnerDriverId, cancellationToken))?.Name;
            }

            // Ready for the next car at the same station.
            ModelState.Clear();
            Input = new AttendantInput { StationId = station };
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) => Stations = await stations.ListAsync(cancellationToken);
}
