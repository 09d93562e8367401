using System.Text.Json;
using OcppServer.Authorization;
using OcppServer.Authorization.PreVerification;
using OcppServer.Registry;
using PlateFormatCatalogue = OcppServer.Vision.PlateFormatCatalogue;

namespace OcppServer.Api;

/// <summary>A new station; <paramref name="PlateRegion"/> is a plate format catalogue code (DE, US-CA), or null for the default regions.</summary>
public sealed record CreateStationRequest(string? Id, string? Name, StationPolicyOverrides? Policy, string? PlateRegion = null);

/// <summary>The station's plate region: a plate format catalogue code (DE, US-CA), or null to use the default regions.</summary>
public sealed record SetPlateRegionRequest(string? PlateRegion);

/// <summary>A station; <paramref name="PlateRegion"/> is its plate region code (null: the default regions).</summary>
public sealed record StationView(
    string Id, string Name, StationPolicy Policy, IReadOnlyList<RiskView> Risks, DateTimeOffset CreatedAt, string? PlateRegion = null);

public sealed record AttendantPreVerificationRequest(string? Plate);

public static class StationsApi
{
    public const int MaxStationIdLength = 64;

    public static RouteGroupBuilder MapStationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/stations").WithTags("Stations");
        group.MapPost("/", CreateAsync).WithName("CreateStation").WithSummary("Create a station with its authorization policy (defaults from configuration)")
            .Produces<StationView>(StatusCodes.Status201Created).ProducesProblems(400, 409).ProducesBodyProblems();
        group.MapGet("/", ListAsync).WithName("ListStations").WithSummary("Every station with its effective policy and its risks")
            .Produces<List<StationView>>();
        group.MapGet("/{id}", GetAsync).WithName("GetStation").WithSummary("One station with its effective policy and its risks")
            .Produces<StationView>().ProducesProblems(404);
        group.MapPut("/{id}/policy", SetPolicyAsync).WithName("SetStationPolicy").WithSummary("Replace the station's policy overrides")
            .Produces<StationView>().ProducesProblems(400, 404).ProducesBodyProblems();
        group.MapPut("/{id}/plate-region", SetPlateRegionAsync).WithName("SetStationPlateRegion")
            .WithSummary("Set or clear the station's plate region (its formats first, then its neighbours', then the generic rule)")
            .Produces<StationView>().ProducesProblems(400, 404).ProducesBodyProblems();
        group.MapPost("/{id}/preverifications", AttendantPreVerificationAsync)
            .WithName("CreateAttendantPreVerification").WithSummary("Record a plate entered by an attendant (source Attendant)")
            .Produces<PreVerificationView>(StatusCodes.Status201Created).ProducesProblems(400, 404).ProducesBodyProblems();
        return api;
    }

    public static async Task<IResult> CreateAsync(
        CreateStationRequest request, IStationStore stations, StationPolicyProvider policies, PlateFormatCatalogue plateFormats, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > MaxStationIdLength || request.Id.Any(char.IsControl))
        {
            return ApiProblems.BadRequest("Invalid station id", $"id must be 1 to {MaxStationIdLength} characters without control characters.", field: "id");
        }

        if (PolicyProblem(request.Policy, policies, "policy.") is { } problem)
        {
            return problem;
        }

        if (!TryPlateRegion(request.PlateRegion, plateFormats, out var plateRegion, out var regionProblem))
        {
            return regionProblem;
        }

        var row = new StationRecord
        {
            Id = request.Id, Name = string.IsNullOrWhiteSpace(request.Name) ? request.Id : request.Name,
            Policy = request.Policy is null ? null : JsonSerializer.Serialize(request.Policy, StationPolicyProvider.PolicyJson),
            PlateRegion = plateRegion,
            CreatedAt = time.GetUtcNow(),
        };
        return await stations.InsertAsync(row, cancellationToken)
            ? TypedResults.Created($"/api/stations/{Uri.EscapeDataString(row.Id)}", ToView(row, policies))
            : ApiProblems.Conflict($"Station {row.Id} already exists", field: "id");
    }

    public static async Task<IResult> ListAsync(IStationStore stations, StationPolicyProvider policies, CancellationToken cancellationToken) =>
        TypedResults.Ok((await stations.ListAsync(cancellationToken)).Select(s => ToView(s, policies)));

    public static async Task<IResult> GetAsync(string id, IStationStore stations, StationPolicyProvider policies, CancellationToken cancellationToken) =>
        await stations.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(ToView(row, policies)) : ApiProblems.NotFound($"Station {id} does not exist");

    public static async Task<IResult> SetPolicyAsync(
        string id, StationPolicyOverrides policy, IStationStore stations, StationPolicyProvider policies, CancellationToken cancellationToken)
    {
        if (PolicyProblem(policy, policies, "") is { } problem)
        {
            return problem;
        }

        if (!await stations.SetPolicyAsync(id, JsonSerializer.Serialize(policy, StationPolicyProvider.PolicyJson), cancellationToken))
        {
            return ApiProblems.NotFound($"Station {id} does not exist");
        }

        return TypedResults.Ok(ToView((await stations.GetAsync(id, cancellationToken))!, policies));
    }

    /// <summary>Sets the station's plate region (a catalogue code, case-insensitive) or clears it (null or empty).</summary>
    public static async Task<IResult> SetPlateRegionAsync(
        string id, SetPlateRegionRequest request, IStationStore stations, StationPolicyProvider policies, PlateFormatCatalogue plateFormats,
        CancellationToken cancellationToken)
    {
        if (!TryPlateRegion(request.PlateRegion, plateFormats, out var plateRegion, out var problem))
        {
            return problem;
        }

        if (!await stations.SetPlateRegionAsync(id, plateRegion, cancellationToken))
        {
            return ApiProblems.NotFound($"Station {id} does not exist");
        }

        return TypedResults.Ok(ToView((await stations.GetAsync(id, cancellationToken))!, policies));
    }

    public static async Task<IResult> AttendantPreVerificationAsync(
        string id, AttendantPreVerificationRequest request, IStationStore stations, PreVerificationRecorder recorder, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await stations.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Station {id} does not exist");
        }

        string plate = PlateText.Normalize(request.Plate ?? string.Empty);
        if (!PlateText.IsValid(plate))
        {
            return ApiProblems.BadRequest("Invalid plate", $"plate must be 2 to {PlateText.MaxLength} letters or digits (spaces, dashes and dots are ignored).", field: "plate");
        }

        var record = await recorder.RecordAsync(
            new PlateObservation(id, "Attendant", null, plate, 1.0, time.GetUtcNow(), ["EnteredByAttendant"]), cancellationToken);
        return TypedResults.Created($"/api/preverifications/{record.Id}", PreVerificationsApi.ToView(record));
    }

    // The problem names the policy property at fault (its first word): "policy.x" in a station, "x" in a policy body.
    private static IResult? PolicyProblem(StationPolicyOverrides? policy, StationPolicyProvider policies, string fieldPrefix) =>
        policy?.ApplyTo(policies.Defaults).Validate() is { } problem
            ? ApiProblems.BadRequest("Invalid policy", problem, fieldPrefix + problem.Split(' ', 2)[0])
            : null;

    // A plate region is a code of the catalogue, stored as the catalogue writes it (us-ca → US-CA); empty means none.
    private static bool TryPlateRegion(
        string? requested, PlateFormatCatalogue plateFormats, out string? plateRegion, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        plateRegion = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(requested))
        {
            return true;
        }

        plateRegion = plateFormats.Canonical(requested);
        if (plateRegion is null)
        {
            problem = ApiProblems.BadRequest("Invalid plate region",
                $"plateRegion must be a region of the plate format catalogue: a country (ISO 3166-1 alpha-2, e.g. DE) or a US state (e.g. US-CA); {requested.Trim()} is not one.",
                field: "plateRegion");
            return false;
        }

        return true;
    }

    private static StationView ToView(StationRecord row, StationPolicyProvider policies)
    {
        var policy = policies.Resolve(row.Policy);
        return new(row.Id, row.Name, policy, policy.Risks().Select(r => new RiskView(r.Code, r.Description)).ToList(), row.CreatedAt, row.PlateRegion);
    }
}
