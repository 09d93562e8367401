using Microsoft.Extensions.Options;
using OcppServer.Authorization;
using OcppServer.Authorization.Biometrics;
using OcppServer.Registry;

namespace OcppServer.Api;

public sealed record CreateDriverRequest(string? Name, IReadOnlyList<string>? IdTags);

public sealed record DriverView(string Id, string Name, bool Blocked, IReadOnlyList<string> IdTags, int BiometricTemplates, DateTimeOffset CreatedAt);

public sealed record EnrolBiometricRequest(string? Modality, string? Template);

public sealed record BiometricTemplateView(string Id, string DriverId, string Modality, int Dimension, DateTimeOffset CreatedAt);

public static class DriversApi
{
    public static RouteGroupBuilder MapDriversApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/drivers").WithTags("Drivers");
        group.MapPost("/", CreateAsync).WithName("CreateDriver").WithSummary("Create a driver with their id tags (created Accepted when new)")
            .Produces<DriverView>(StatusCodes.Status201Created).ProducesProblems(400, 409).ProducesBodyProblems();
        group.MapGet("/{id}", GetAsync).WithName("GetDriver").WithSummary("One driver with their id tags and how many templates are enrolled")
            .Produces<DriverView>().ProducesProblems(404);
        group.MapPost("/{id}/block", (string id, IDriverStore drivers, CancellationToken ct) => SetBlockedAsync(id, true, drivers, ct)).WithName("BlockDriver")
            .WithSummary("Block a driver: every decision for them is refused (DriverBlocked)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(404);
        group.MapPost("/{id}/unblock", (string id, IDriverStore drivers, CancellationToken ct) => SetBlockedAsync(id, false, drivers, ct)).WithName("UnblockDriver")
            .WithSummary("Unblock a driver")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(404);
        group.MapPost("/{id}/biometrics", EnrolAsync).WithName("EnrolBiometric")
            .WithSummary("Enrol a template (base64 of little-endian float32[]); stored encrypted, never returned")
            .Produces<BiometricTemplateView>(StatusCodes.Status201Created).ProducesProblems(400, 404).ProducesBodyProblems();
        return api;
    }

    public static async Task<IResult> CreateAsync(CreateDriverRequest request, IDriverStore drivers, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return ApiProblems.BadRequest("Invalid name", "name must be 1 to 200 characters.", field: "name");
        }

        var idTags = (request.IdTags ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (idTags.Any(t => string.IsNullOrEmpty(t) || t.Length > IdTagsApi.MaxIdTagLength))
        {
            return ApiProblems.BadRequest("Invalid idTags", $"Each id tag is 1 to {IdTagsApi.MaxIdTagLength} characters.", field: "idTags");
        }

        var driver = new DriverRecord { Id = "drv_" + Guid.NewGuid().ToString("N"), Name = request.Name.Trim(), CreatedAt = time.GetUtcNow() };
        var taken = await drivers.InsertAsync(driver, idTags, cancellationToken);
        if (taken.Count > 0)
        {
            return ApiProblems.Conflict("Id tags already belong to another driver", string.Join(", ", taken), field: "idTags");
        }

        return TypedResults.Created($"/api/drivers/{driver.Id}", new DriverView(driver.Id, driver.Name, false, idTags, 0, driver.CreatedAt));
    }

    public static async Task<IResult> GetAsync(string id, IDriverStore drivers, CancellationToken cancellationToken)
    {
        var driver = await drivers.GetAsync(id, cancellationToken);
        return driver is null
            ? ApiProblems.NotFound($"Driver {id} does not exist")
            : TypedResults.Ok(new DriverView(driver.Id, driver.Name, driver.Blocked, await drivers.GetIdTagsAsync(id, cancellationToken),
                await drivers.CountTemplatesAsync(id, cancellationToken), driver.CreatedAt));
    }

    public static async Task<IResult> SetBlockedAsync(string id, bool blocked, IDriverStore drivers, CancellationToken cancellationToken) =>
        await drivers.SetBlockedAsync(id, blocked, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"Driver {id} does not exist");

    public static async Task<IResult> EnrolAsync(
        string id, EnrolBiometricRequest request, IDriverStore drivers, TemplateProtector protector, TemplateGallery gallery,
        IOptions<BiometricOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await drivers.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Driver {id} does not exist");
        }

        if (request.Modality != "face")
        {
            return ApiProblems.BadRequest("Unsupported modality", "modality must be \"face\".", field: "modality");
        }

        float[]? template = null;
        try
        {
            template = request.Template is null ? null : TemplateCodec.FromLittleEndianBytes(Convert.FromBase64String(request.Template));
        }
        catch (FormatException)
        {
            // reported below
        }

        int dimension = options.Value.TemplateDimension;
        if (template is null || template.Length != dimension || TemplateCodec.Normalize(template) is not { } unit)
        {
            return ApiProblems.BadRequest("Invalid template", $"template must be base64 of {dimension} finite little-endian float32 values, not all zero.", field: "template");
        }

        string templateId = "bio_" + Guid.NewGuid().ToString("N");
        var (nonce, ciphertext, tag) = protector.Encrypt(templateId, id, template);
        var row = new BiometricTemplateRecord
        {
            Id = templateId, DriverId = id, Modality = request.Modality, Dimension = dimension, Nonce = nonce, Ciphertext = ciphertext, Tag = tag,
            CreatedAt = time.GetUtcNow(),
        };
        await drivers.InsertTemplateAsync(row, cancellationToken);
        await gallery.AddAsync(id, unit, cancellationToken);
        return TypedResults.Created($"/api/drivers/{id}", new BiometricTemplateView(templateId, id, row.Modality, dimension, row.CreatedAt));
    }
}
