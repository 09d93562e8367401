using System.Text.Json;
using OcppServer.Authorization.PreVerification;
using OcppServer.Storage;

namespace OcppServer.Api;

public sealed record PreVerificationView(
    string Id,
    string StationId,
    string Source,
    string? CameraId,
    string? Plate,
    string Verdict,
    double Confidence,
    string? VehicleId,
    IReadOnlyList<string> Reasons,
    string? PlateHint,
    string? ImageSha256,
    DateTimeOffset CapturedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    long? ConsumedByTransactionId,
    DateTimeOffset? ConsumedAt);

public static class PreVerificationsApi
{
    public static RouteGroupBuilder MapPreVerificationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/preverifications").WithTags("Pre-verification");
        group.MapGet("/", ListAsync).WithName("ListPreVerifications").WithSummary("Newest first")
            .Produces<List<PreVerificationView>>();
        group.MapGet("/{id}", GetAsync).WithName("GetPreVerification").WithSummary("One pre-verification record with its verdict and reasons")
            .Produces<PreVerificationView>().ProducesProblems(404);
        group.MapGet("/{id}/image", GetImageAsync).WithName("GetPreVerificationImage").WithSummary("The stored camera image (until retention purges it)")
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg", "image/png").ProducesProblems(404);
        return api;
    }

    public static async Task<IResult> ListAsync(string? stationId, int? limit, IPreVerificationStore records, CancellationToken cancellationToken) =>
        TypedResults.Ok((await records.ListAsync(stationId, ApiProblems.ClampLimit(limit), cancellationToken)).Select(ToView));

    public static async Task<IResult> GetAsync(string id, IPreVerificationStore records, CancellationToken cancellationToken) =>
        await records.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(ToView(row)) : ApiProblems.NotFound($"Pre-verification {id} does not exist");

    public static async Task<IResult> GetImageAsync(string id, IPreVerificationStore records, ImageStore images, CancellationToken cancellationToken)
    {
        var row = await records.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return ApiProblems.NotFound($"Pre-verification {id} does not exist");
        }

        if (row.ImagePath is null || images.Resolve(row.ImagePath) is not { } path)
        {
            return ApiProblems.NotFound($"Pre-verification {id} has no stored image (attendant record, or purged after retention)");
        }

        return TypedResults.PhysicalFile(path, path.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
    }

    public static PreVerificationView ToView(PreVerificationRecord row) => new(
        row.Id, row.StationId, row.Source, row.CameraId, row.Plate, row.Verdict, row.Confidence, row.VehicleId,
        JsonSerializer.Deserialize<string[]>(row.Reasons) ?? [], row.PlateHint, row.ImageSha256, row.CapturedAt, row.CreatedAt, row.ExpiresAt,
        row.ConsumedByTransactionId, row.ConsumedAt);
}
