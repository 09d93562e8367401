using Microsoft.Extensions.Options;
using OcppServer.Authorization;
using OcppServer.Registry;

namespace OcppServer.Api;

public sealed record CreateVehicleRequest(
    string? Vin, string? Plate, string? OwnerDriverId, IReadOnlyList<string>? AuthorizedDriverIds, string? EvccId = null);

public sealed record VehicleView(
    string Id, string Vin, string Plate, string OwnerDriverId, IReadOnlyList<string> DriverIds, bool Blocked, DateTimeOffset CreatedAt,
    string? EvccId);

public static class VehiclesApi
{
    public static RouteGroupBuilder MapVehiclesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/vehicles").WithTags("Vehicles");
        group.MapPost("/", CreateAsync).WithName("CreateVehicle").WithSummary("Register a vehicle (VIN per ISO 3779; plate stored normalised)")
            .Produces<VehicleView>(StatusCodes.Status201Created).ProducesProblems(400, 409).ProducesBodyProblems();
        group.MapGet("/{id}", GetAsync).WithName("GetVehicle").WithSummary("One vehicle with the drivers allowed to drive it")
            .Produces<VehicleView>().ProducesProblems(404);
        group.MapPost("/{id}/block", (string id, IVehicleStore vehicles, CancellationToken ct) => SetBlockedAsync(id, true, vehicles, ct)).WithName("BlockVehicle")
            .WithSummary("Block a vehicle: every decision naming it is refused (VehicleBlocked)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(404);
        group.MapPost("/{id}/unblock", (string id, IVehicleStore vehicles, CancellationToken ct) => SetBlockedAsync(id, false, vehicles, ct)).WithName("UnblockVehicle")
            .WithSummary("Unblock a vehicle")
            .Produces(StatusCodes.Status204NoContent).ProducesProblems(404);
        return api;
    }

    public static async Task<IResult> CreateAsync(
        CreateVehicleRequest request, IVehicleStore vehicles, IDriverStore drivers, IOptionsMonitor<AuthorizationOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        string vin = VinValidator.Normalize(request.Vin ?? string.Empty);
        var vinProblem = VinValidator.Check(vin, options.CurrentValue.RequireVinCheckDigit);
        if (vinProblem != VinProblem.None)
        {
            return ApiProblems.BadRequest("Invalid VIN", $"{vinProblem}: a VIN is 17 characters without I, O or Q, with the ISO 3779 check digit in position 9.", field: "vin");
        }

        string plate = PlateText.Normalize(request.Plate ?? string.Empty);
        if (!PlateText.IsValid(plate))
        {
            return ApiProblems.BadRequest("Invalid plate", $"plate must be 2 to {PlateText.MaxLength} letters or digits (spaces, dashes and dots are ignored).", field: "plate");
        }

        string? evccId = NormalizeEvccId(request.EvccId);
        if (request.EvccId is not null && evccId is null)
        {
            return ApiProblems.BadRequest("Invalid EVCC ID",
                $"evccId is 1 to {MaxEvccIdLength} letters or digits, optionally separated by ':' or '-' (e.g. the MAC address 00:1A:2B:3C:4D:5E).",
                field: "evccId");
        }

        var driverIds = (request.AuthorizedDriverIds ?? []).Append(request.OwnerDriverId ?? string.Empty).Distinct().ToList();
        foreach (string driverId in driverIds)
        {
            if (await drivers.GetAsync(driverId, cancellationToken) is null)
            {
                return ApiProblems.BadRequest("Unknown driver", $"Driver '{driverId}' does not exist.",
                    field: driverId == (request.OwnerDriverId ?? string.Empty) ? "ownerDriverId" : "authorizedDriverIds");
            }
        }

        var vehicle = new VehicleRecord
        {
            Id = "veh_" + Guid.NewGuid().ToString("N"), Vin = vin, Plate = plate, OwnerDriverId = request.OwnerDriverId!, EvccId = evccId,
            CreatedAt = time.GetUtcNow(),
        };
        if (!await vehicles.InsertAsync(vehicle, request.AuthorizedDriverIds ?? [], cancellationToken))
        {
            // Which value is taken, so that a form can say it next to the field.
            bool plateTaken = await vehicles.GetByPlateAsync(plate, cancellationToken) is not null;
            return ApiProblems.Conflict("A vehicle with this VIN or plate is already registered",
                plateTaken ? $"plate {plate} is taken." : $"VIN {vin} is taken.", field: plateTaken ? "plate" : "vin");
        }

        return TypedResults.Created($"/api/vehicles/{vehicle.Id}", await ToViewAsync(vehicle, vehicles, cancellationToken));
    }

    public static async Task<IResult> GetAsync(string id, IVehicleStore vehicles, CancellationToken cancellationToken) =>
        await vehicles.GetAsync(id, cancellationToken) is { } row
            ? TypedResults.Ok(await ToViewAsync(row, vehicles, cancellationToken))
            : ApiProblems.NotFound($"Vehicle {id} does not exist");

    public static async Task<IResult> SetBlockedAsync(string id, bool blocked, IVehicleStore vehicles, CancellationToken cancellationToken) =>
        await vehicles.SetBlockedAsync(id, blocked, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"Vehicle {id} does not exist");

    private static async Task<VehicleView> ToViewAsync(VehicleRecord row, IVehicleStore vehicles, CancellationToken cancellationToken) =>
        new(row.Id, row.Vin, row.Plate, row.OwnerDriverId, await vehicles.GetDriverIdsAsync(row.Id, cancellationToken), row.Blocked, row.CreatedAt,
            row.EvccId);

    /// <summary>The longest EVCC ID the charger's report may carry (schemas/vendor/VehicleIdentification.json).</summary>
    public const int MaxEvccIdLength = 64;

    /// <summary>
    /// An EVCC ID as stored and compared: trimmed, upper case, its separators (':' or '-', as in a MAC address) kept;
    /// null when it is not 1 to 64 ASCII letters, digits and separators with at least one letter or digit.
    /// </summary>
    public static string? NormalizeEvccId(string? evccId)
    {
        string value = (evccId ?? "").Trim().ToUpperInvariant();
        return value.Length is > 0 and <= MaxEvccIdLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-')
            && value.Any(char.IsAsciiLetterOrDigit)
            ? value
            : null;
    }
}
