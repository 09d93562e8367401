using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Authorization.Biometrics;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.Drivers;

public sealed class EnrolInput
{
    public IFormFile? Template { get; set; }
}

/// <summary>
/// One driver: id tags, how many face templates, vehicles; operators block or unblock them and enrol a template from a
/// file, which is converted to the API's form (base64 of little-endian float32) and passed to the API's own handler, so
/// it is checked by the same rules.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = 2 * MaxTemplateFileBytes)]
[RequestSizeLimit(4 * MaxTemplateFileBytes)]
public sealed class DetailModel(
    IDriverStore drivers, IVehicleStore vehicles, TemplateProtector protector, TemplateGallery gallery, IOptions<BiometricOptions> biometrics,
    TimeProvider time) : DashboardPageModel
{
    public const int MaxTemplateFileBytes = 64 * 1024;

    [BindProperty]
    public EnrolInput Input { get; set; } = new();

    public DriverView Driver { get; private set; } = null!;

    public IReadOnlyList<VehicleRecord> Vehicles { get; private set; } = [];

    public int Dimension => biometrics.Value.TemplateDimension;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    [RequiresRole(OperatorRole.Operator)]
    public Task<IActionResult> OnPostBlockAsync(string id, CancellationToken cancellationToken) => SetBlockedAsync(id, true, cancellationToken);

    [RequiresRole(OperatorRole.Operator)]
    public Task<IActionResult> OnPostUnblockAsync(string id, CancellationToken cancellationToken) => SetBlockedAsync(id, false, cancellationToken);

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostEnrolAsync(string id, CancellationToken cancellationToken)
    {
        if (await drivers.GetAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        var (template, problem) = await ReadTemplateFileAsync(Input.Template, cancellationToken);
        string detail = $"face template from {Input.Template?.FileName ?? "no file"}";
        if (problem is not null)
        {
            ModelState.AddModelError("Input.Template", problem);
            await AuditAsync("driver.enrol", id, detail, "refused: " + problem);
        }
        else
        {
            var enrolled = await RunApiAsync<BiometricTemplateView>(
                await DriversApi.EnrolAsync(id, new EnrolBiometricRequest("face", template), drivers, protector, gallery, biometrics, time, cancellationToken),
                "driver.enrol", id, detail);
            if (enrolled is not null)
            {
                Flash = "Face template enrolled.";
                return RedirectToPage(new { id });
            }
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>
    /// The file as the API's <c>template</c> field (base64 of the raw bytes). By the file name: <c>.json</c> is a JSON
    /// array of numbers, <c>.b64</c>/<c>.txt</c> base64 text, anything else the raw little-endian float32 bytes. The
    /// number of values and their finiteness are left to the API's check.
    /// </summary>
    internal static async Task<(string? Base64, string? Problem)> ReadTemplateFileAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return (null, "Choose the template file (it is missing or empty).");
        }

        if (file.Length > MaxTemplateFileBytes)
        {
            return (null, $"The template file is larger than {MaxTemplateFileBytes / 1024} KiB: it cannot be a face template.");
        }

        byte[] bytes;
        using (var buffer = new MemoryStream((int)file.Length))
        {
            await file.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }

        string extension = Path.GetExtension(file.FileName ?? "").ToLowerInvariant();
        switch (extension)
        {
            case ".json":
                try
                {
                    float[]? values = JsonSerializer.Deserialize<float[]>(bytes);
                    return values is null or { Length: 0 }
                        ? (null, "The JSON file must hold an array of numbers.")
                        : (Convert.ToBase64String(TemplateCodec.ToLittleEndianBytes(values)), null);
                }
                catch (JsonException)
                {
                    return (null, "The JSON file must hold an array of numbers, e.g. [0.12, -0.03, …].");
                }

            case ".b64" or ".txt":
                string text = Encoding.ASCII.GetString(bytes);
                return (string.Concat(text.Where(c => !char.IsWhiteSpace(c))), null);

            default:
                return (Convert.ToBase64String(bytes), null);
        }
    }

    private async Task<IActionResult> SetBlockedAsync(string id, bool blocked, CancellationToken cancellationToken)
    {
        if (await RunApiAsync(await DriversApi.SetBlockedAsync(id, blocked, drivers, cancellationToken), blocked ? "driver.block" : "driver.unblock", id, null))
        {
            Flash = blocked ? "Driver blocked: every request of theirs is refused." : "Driver unblocked.";
            return RedirectToPage(new { id });
        }

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await DriversApi.GetAsync(id, drivers, cancellationToken) is not IValueHttpResult { Value: DriverView driver })
        {
            return false;
        }

        Driver = driver;
        Vehicles = await vehicles.ListForDriverAsync(id, cancellationToken);
        return true;
    }
}
