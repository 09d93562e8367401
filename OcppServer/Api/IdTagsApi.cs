using OcppServer.Ocpp.Messages;
using OcppServer.Registry;

namespace OcppServer.Api;

public sealed record IdTagRequest(string? IdTag, string? Status, DateTimeOffset? ExpiryDate, string? ParentIdTag);

public sealed record IdTagView(string IdTag, string Status, DateTimeOffset? ExpiryDate, string? ParentIdTag, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class IdTagsApi
{
    public const int MaxIdTagLength = 20;

    private static readonly string[] StoredStatuses =
        [nameof(AuthorizationStatus.Accepted), nameof(AuthorizationStatus.Blocked), nameof(AuthorizationStatus.Expired), nameof(AuthorizationStatus.Invalid)];

    public static RouteGroupBuilder MapIdTagsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/idtags").WithTags("Id tags");
        group.MapPost("/", CreateAsync).WithName("CreateIdTag").WithSummary("Register an id tag (Accepted unless a status is given) with its expiry and group")
            .Produces<IdTagView>(StatusCodes.Status201Created).ProducesProblems(400, 409).ProducesBodyProblems();
        group.MapGet("/", ListAsync).WithName("ListIdTags").WithSummary("Id tags, up to limit (100 by default)")
            .Produces<List<IdTagView>>();
        group.MapGet("/{idTag}", GetAsync).WithName("GetIdTag").WithSummary("One id tag")
            .Produces<IdTagView>().ProducesProblems(404);
        group.MapPut("/{idTag}", UpdateAsync).WithName("UpdateIdTag").WithSummary("Replace status, expiry and parent")
            .Produces<IdTagView>().ProducesProblems(400, 404).ProducesBodyProblems();
        group.MapPost("/{idTag}/block", BlockAsync).WithName("BlockIdTag").WithSummary("Set the id tag's status to Blocked")
            .Produces<IdTagView>().ProducesProblems(404);
        return api;
    }

    public static async Task<IResult> CreateAsync(IdTagRequest request, IIdTagStore idTags, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Validate(request.IdTag, request) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var row = new IdTagRecord
        {
            IdTag = request.IdTag!, Status = request.Status ?? nameof(AuthorizationStatus.Accepted), ExpiryDate = request.ExpiryDate,
            ParentIdTag = request.ParentIdTag, CreatedAt = now, UpdatedAt = now,
        };
        return await idTags.InsertAsync(row, cancellationToken)
            ? TypedResults.Created($"/api/idtags/{Uri.EscapeDataString(row.IdTag)}", ToView(row))
            : ApiProblems.Conflict($"Id tag {row.IdTag} already exists", field: "idTag");
    }

    public static async Task<IResult> ListAsync(int? limit, IIdTagStore idTags, CancellationToken cancellationToken) =>
        TypedResults.Ok((await idTags.ListAsync(ApiProblems.ClampLimit(limit, 100, 10_000), cancellationToken)).Select(ToView));

    public static async Task<IResult> GetAsync(string idTag, IIdTagStore idTags, CancellationToken cancellationToken) =>
        await idTags.GetAsync(idTag, cancellationToken) is { } row ? TypedResults.Ok(ToView(row)) : ApiProblems.NotFound($"Id tag {idTag} does not exist");

    public static async Task<IResult> UpdateAsync(
        string idTag, IdTagRequest request, IIdTagStore idTags, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Validate(idTag, request) is { } problem)
        {
            return problem;
        }

        var existing = await idTags.GetAsync(idTag, cancellationToken);
        if (existing is null)
        {
            return ApiProblems.NotFound($"Id tag {idTag} does not exist");
        }

        var updated = existing with
        {
            Status = request.Status ?? existing.Status, ExpiryDate = request.ExpiryDate, ParentIdTag = request.ParentIdTag, UpdatedAt = time.GetUtcNow(),
        };
        await idTags.UpdateAsync(updated, cancellationToken);
        return TypedResults.Ok(ToView(updated));
    }

    public static async Task<IResult> BlockAsync(string idTag, IIdTagStore idTags, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = await idTags.GetAsync(idTag, cancellationToken);
        if (existing is null)
        {
            return ApiProblems.NotFound($"Id tag {idTag} does not exist");
        }

        var blocked = existing with { Status = nameof(AuthorizationStatus.Blocked), UpdatedAt = time.GetUtcNow() };
        await idTags.UpdateAsync(blocked, cancellationToken);
        return TypedResults.Ok(ToView(blocked));
    }

    private static IResult? Validate(string? idTag, IdTagRequest request)
    {
        if (string.IsNullOrEmpty(idTag) || idTag.Length > MaxIdTagLength)
        {
            return ApiProblems.BadRequest("Invalid idTag", $"idTag must be 1 to {MaxIdTagLength} characters (OCPP CiString20).", field: "idTag");
        }

        if (request.Status is not null && !StoredStatuses.Contains(request.Status))
        {
            return ApiProblems.BadRequest("Invalid status", $"status must be one of {string.Join(", ", StoredStatuses)}.", field: "status");
        }

        if (request.ParentIdTag is { Length: 0 or > MaxIdTagLength })
        {
            return ApiProblems.BadRequest("Invalid parentIdTag", $"parentIdTag must be 1 to {MaxIdTagLength} characters.", field: "parentIdTag");
        }

        return null;
    }

    private static IdTagView ToView(IdTagRecord row) => new(row.IdTag, row.Status, row.ExpiryDate, row.ParentIdTag, row.CreatedAt, row.UpdatedAt);
}
