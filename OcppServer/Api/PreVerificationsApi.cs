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

/// <summary>One frame of a burst record: what the reader made of it and whether its bytes were new at the station.</summary>
public sealed record CaptureFrameView(
    int Index, string ImageSha256, bool ImageKept, DateTimeOffset CapturedAt, DateTimeOffset ReceivedAt, string Outcome, string? Plate,
    string? Format, double Confidence, IReadOnlyList<string> Reasons, string Claim);

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
        group.MapGet("/{id}/frames", ListFramesAsync).WithName("ListPreVerificationFrames")
            .WithSummary("The frames of a camera burst (several images of one passage) with each one's reading; empty for a single image")
            .Produces<List<CaptureFrameView>>().ProducesProblems(404);
        group.MapGet("/{id}/frames/{index:int}/image", GetFrameImageAsync).WithName("GetPreVerificationFrameImage")
            .WithSummary("One stored frame of a burst (until retention purges it)")
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

    public static async Task<IResult> ListFramesAsync(
        string id, IPreVerificationStore records, ICapturePassageStore passages, CancellationToken cancellationToken)
    {
        if (await records.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Pre-verification {id} does not exist");
        }

        return TypedResults.Ok((await passages.ListFramesAsync(id, cancellationToken)).Select(f => new CaptureFrameView(
            f.FrameIndex, f.ImageSha256, f.ImagePath is not null, f.CapturedAt, f.ReceivedAt, f.Outcome, f.Plate, f.Format, f.Confidence,
            JsonSerializer.Deserialize<string[]>(f.Reasons) ?? [], f.Claim)));
    }

    public static async Task<IResult> GetFrameImageAsync(
        string id, int index, ICapturePassageStore passages, ImageStore images, CancellationToken cancellationToken)
    {
        var frame = (await passages.ListFramesAsync(id, cancellationToken)).FirstOrDefault(f => f.FrameIndex == index);
        if (frame?.ImagePath is null || images.Resolve(frame.ImagePath) is not { } path)
        {
            return ApiProblems.NotFound($"Pre-verification {id} has no stored frame {index} (not a burst, no such frame, or purged after retention)");
        }

        return TypedResults.PhysicalFile(path, path.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
    }

    public static PreVerificationView ToView(PreVerificationRecord row) => new(
        row.Id, row.StationId, row.Source, row.CameraId, row.Plate, row.Verdict, row.Confidence, row.VehicleId,
        JsonSerializer.Deserialize<string[]>(row.Reasons) ?? [], row.PlateHint, row.ImageSha256, row.CapturedAt, row.CreatedAt, row.ExpiresAt,
        row.ConsumedByTransactionId, row.ConsumedAt);
}
