using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.ChargePoints;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.Readers;

public sealed class ReaderInput
{
    public string? ChargePointId { get; set; }

    public string? KeyId { get; set; }

    public string? PublicKeyPem { get; set; }
}

/// <summary>The biometric readers of the charge points (keyset pages of 50); admins set one through the API's handler.</summary>
public sealed class IndexModel(IBiometricReaderStore readers, IChargePointStore chargePoints, TimeProvider time) : DashboardPageModel
{
    public const int PageSize = 50;

    [BindProperty]
    public ReaderInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    public IReadOnlyList<BiometricReaderRecord> Readers { get; private set; } = [];

    public string? NextAfter { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostSetAsync(CancellationToken cancellationToken)
    {
        string id = Input.ChargePointId?.Trim() ?? "";
        var result = await ChargePointsApi.SetBiometricReaderAsync(
            id, new BiometricReaderRequest(Input.KeyId?.Trim(), Input.PublicKeyPem), chargePoints, readers, time, cancellationToken);
        if (result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound } notFound)
        {
            // The charge point is in the API's path; on this form it is a field.
            notFound.ProblemDetails.Extensions[ApiProblems.FieldExtension] = "chargePointId";
        }

        var saved = await RunApiAsync<BiometricReaderView>(result, "reader.set", id, $"key id {Input.KeyId?.Trim()}");
        if (saved is not null)
        {
            Flash = $"Reader of {saved.ChargePointId} set (key id {saved.KeyId}).";
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await readers.ListAsync(string.IsNullOrWhiteSpace(After) ? null : After, PageSize + 1, cancellationToken);
        Readers = rows.Take(PageSize).ToList();
        NextAfter = rows.Count > PageSize ? Readers[^1].ChargePointId : null;
    }
}
