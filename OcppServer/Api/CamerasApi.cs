using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OcppServer.Authorization.PreVerification;
using OcppServer.Registry;
using OcppServer.Security;
using OcppServer.Vision;

namespace OcppServer.Api;

public sealed record RegisterCameraRequest(string? Id, string? StationId);

/// <summary>The camera's key is in this answer only; the server keeps a hash.</summary>
public sealed record RegisteredCameraView(string Id, string StationId, string Key, DateTimeOffset CreatedAt);

public sealed record CameraView(string Id, string StationId, DateTimeOffset? LastCaptureAt, DateTimeOffset CreatedAt);

/// <summary>
/// The form a camera posts (documentation of <c>POST /api/cameras/{id}/captures</c>; the endpoint reads the form itself):
/// the image (JPEG or PNG; several <c>image</c> parts are a burst, several frames of one passage, at most
/// <c>Vision:MaxBurstFrames</c>), when it was taken (ISO 8601; the server's time when absent), a plate the camera read
/// itself, and a passage id (1 to 64 characters, no control characters): the frames of the camera's requests with the
/// same passage id within <c>Vision:BurstWindowSeconds</c> of the passage's first frame give one record.
/// </summary>
public sealed record CameraCaptureForm(IFormFileCollection Image, DateTimeOffset? CapturedAt, string? PlateHint, string? PassageId);

/// <summary>Marks the camera's own endpoint: authenticated by the camera's key (<see cref="CamerasApi.KeyHeader"/>), not the operator's.</summary>
public sealed class CameraKeyRequired
{
    public static CameraKeyRequired Instance { get; } = new();

    private CameraKeyRequired()
    {
    }
}

public static class CamerasApi
{
    public const string KeyHeader = "X-Camera-Key";
    public const int MaxCameraIdLength = 64;
    public const int MaxPassageIdLength = 64;

    /// <summary>Operator endpoints (behind the API key).</summary>
    public static RouteGroupBuilder MapCamerasApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cameras").WithTags("Cameras");
        group.MapPost("/", RegisterAsync).WithName("RegisterCamera").WithSummary("Register an entrance camera; its key is shown once")
            .Produces<RegisteredCameraView>(StatusCodes.Status201Created).ProducesProblems(400, 409).ProducesBodyProblems();
        group.MapGet("/", ListAsync).WithName("ListCameras").WithSummary("Registered cameras (optionally of one station) with their last capture")
            .Produces<List<CameraView>>();
        return api;
    }

    /// <summary>The camera's own endpoint: authenticated by the camera key, not the operator key.</summary>
    public static IEndpointRouteBuilder MapCameraCaptures(this IEndpointRouteBuilder routes, long maxRequestBytes)
    {
        routes.MapPost("/api/cameras/{id}/captures", CaptureAsync)
            .WithTags("Cameras")
            .WithName("PostCameraCapture")
            .WithSummary("Multipart form: image (JPEG/PNG; several image parts = one passage), capturedAt (ISO 8601, optional), "
                + "plateHint (optional), passageId (optional: frames of several requests, one record)")
            .DisableAntiforgery()
            .WithMetadata(new RequestBodyLimit(maxRequestBytes), CameraKeyRequired.Instance)
            .Accepts<CameraCaptureForm>("multipart/form-data")
            .Produces<PreVerificationView>(StatusCodes.Status201Created)
            .Produces<PreVerificationView>(StatusCodes.Status200OK)
            .ProducesProblems(400, 401, 409, 413, 415, 422, 503);
        return routes;
    }

    public static async Task<IResult> RegisterAsync(
        RegisterCameraRequest request, ICameraStore cameras, IStationStore stations, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > MaxCameraIdLength || request.Id.Any(char.IsControl))
        {
            return ApiProblems.BadRequest("Invalid camera id", $"id must be 1 to {MaxCameraIdLength} characters without control characters.", field: "id");
        }

        if (request.StationId is null || await stations.GetAsync(request.StationId, cancellationToken) is null)
        {
            return ApiProblems.BadRequest("Unknown station", "stationId must name an existing station.", field: "stationId");
        }

        string key = Base64UrlKey();
        var camera = new CameraRecord { Id = request.Id, StationId = request.StationId, KeyHash = HashKey(key), CreatedAt = time.GetUtcNow() };
        return await cameras.InsertAsync(camera, cancellationToken)
            ? TypedResults.Created($"/api/cameras/{Uri.EscapeDataString(camera.Id)}", new RegisteredCameraView(camera.Id, camera.StationId, key, camera.CreatedAt))
            : ApiProblems.Conflict($"Camera {camera.Id} already exists", field: "id");
    }

    public static async Task<IResult> ListAsync(string? stationId, ICameraStore cameras, CancellationToken cancellationToken) =>
        TypedResults.Ok((await cameras.ListAsync(stationId, cancellationToken)).Select(c => new CameraView(c.Id, c.StationId, c.LastCaptureAt, c.CreatedAt)));

    /// <summary>
    /// The camera authenticates with its key before its image is read. A wrong key, a missing one and an unknown camera
    /// get the same 401; failures are limited per camera and per source address (<see cref="CredentialFailureLimiter"/>).
    /// One image without a passage id is one record (201). Several images, or a passage id, are one passage
    /// (<see cref="CameraCaptureService.ProcessBurstAsync"/>): 201 with a new record, 200 with the record the frames joined,
    /// 409 when the passage no longer takes frames (its record consumed by a transaction, full, or the frame too early).
    /// A passage id belongs to the camera that sent it: another camera's same id is another passage.
    /// </summary>
    public static async Task<IResult> CaptureAsync(
        string id, HttpRequest request, ICameraStore cameras, CameraCaptureService captures, IOptionsMonitor<VisionOptions> vision,
        CredentialFailureLimiter failures, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        string credential = "camera:" + id;
        string? address = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        bool locked = failures.IsLocked(credential, address);
        var camera = locked ? null : await cameras.GetAsync(id, cancellationToken);
        string? presented = request.Headers[KeyHeader];
        string hash = HashKey(presented ?? "");
        if (camera is null || presented is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(camera.KeyHash)))
        {
            if (!locked)
            {
                failures.RecordFailure(credential, address);
            }

            loggers.CreateLogger(typeof(CamerasApi).FullName!).LogWarning(
                "Security event: capture for camera {CameraId} from {RemoteAddress} refused: {Reason}", id, address ?? "-",
                locked ? "too many failed keys" : camera is null ? "unknown camera" : presented is null ? "no key" : "wrong key");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong or missing camera key",
                detail: $"Send the key returned when the camera was registered in the {KeyHeader} header.");
        }

        var form = await ReadFormAsync(request, vision.CurrentValue, cancellationToken);
        if (form.Problem is not null)
        {
            return form.Problem;
        }

        try
        {
            var capturedAt = form.CapturedAt ?? time.GetUtcNow();
            if (form.Images.Count == 1 && form.PassageId is null)
            {
                var record = await captures.ProcessAsync(new CameraCapture(camera, form.Images[0], capturedAt, form.PlateHint), cancellationToken);
                return TypedResults.Created($"/api/preverifications/{record.Id}", PreVerificationsApi.ToView(record));
            }

            var burst = await captures.ProcessBurstAsync(new CameraBurst(camera, form.Images, capturedAt, form.PlateHint, form.PassageId), cancellationToken);
            return burst.Created
                ? TypedResults.Created($"/api/preverifications/{burst.Record.Id}", PreVerificationsApi.ToView(burst.Record))
                : TypedResults.Ok(PreVerificationsApi.ToView(burst.Record));
        }
        catch (CaptureRejectedException ex)
        {
            return TypedResults.Problem(statusCode: ex.StatusCode, title: ex.Title, detail: ex.Message);
        }
        catch (PlateReaderBusyException ex)
        {
            request.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Plate reader busy", detail: ex.Message);
        }
    }

    private sealed record CaptureForm(
        IReadOnlyList<ReadOnlyMemory<byte>> Images, DateTimeOffset? CapturedAt, string? PlateHint, string? PassageId, IResult? Problem);

    private static async Task<CaptureForm> ReadFormAsync(HttpRequest request, VisionOptions limits, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return Fail(StatusCodes.Status415UnsupportedMediaType, "Expected multipart/form-data with an image field");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limits.MaxCaptureRequestBytes }, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(StatusCodes.Status413PayloadTooLarge, "Capture too large",
                $"A request is limited to {limits.MaxCaptureRequestBytes} bytes: images of {limits.MaxImageBytes} bytes each, {limits.MaxBurstBytes} in all.");
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Fail(StatusCodes.Status400BadRequest, "Malformed or oversized multipart form", ex.Message);
        }

        var files = form.Files.GetFiles("image");
        if (files.Count == 0 || files.Any(f => f.Length == 0))
        {
            return Fail(StatusCodes.Status400BadRequest, "The image field is missing or empty");
        }

        if (files.Count > limits.MaxBurstFrames)
        {
            return Fail(StatusCodes.Status400BadRequest, "Too many frames",
                $"A burst holds at most {limits.MaxBurstFrames} images; this request has {files.Count}.");
        }

        if (files.Any(f => f.Length > limits.MaxImageBytes))
        {
            return Fail(StatusCodes.Status413PayloadTooLarge, $"Images are limited to {limits.MaxImageBytes} bytes");
        }

        if (files.Count > 1 && files.Sum(f => f.Length) > limits.MaxBurstBytes)
        {
            return Fail(StatusCodes.Status413PayloadTooLarge, "Burst too large",
                $"The images of one request are limited to {limits.MaxBurstBytes} bytes in all; these have {files.Sum(f => f.Length)}.");
        }

        DateTimeOffset? capturedAt = null;
        if (form["capturedAt"] is { Count: > 0 } capturedText)
        {
            if (!DateTimeOffset.TryParse(capturedText.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Fail(StatusCodes.Status400BadRequest, "capturedAt must be an ISO 8601 timestamp");
            }

            capturedAt = parsed.ToUniversalTime();
        }

        string? plateHint = form["plateHint"] is { Count: > 0 } hint ? hint.ToString() : null;
        if (plateHint is { Length: > 32 })
        {
            return Fail(StatusCodes.Status400BadRequest, "plateHint is at most 32 characters");
        }

        string? passageId = null;
        if (form["passageId"] is { Count: > 0 } passage)
        {
            passageId = passage.ToString();
            if (passage.Count > 1 || passageId.Length is 0 or > MaxPassageIdLength || passageId.Any(char.IsControl))
            {
                return Fail(StatusCodes.Status400BadRequest, "Invalid passageId",
                    $"passageId must be one value of 1 to {MaxPassageIdLength} characters without control characters.");
            }
        }

        var images = new List<ReadOnlyMemory<byte>>(files.Count);
        foreach (var file in files)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            images.Add(buffer.ToArray());
        }

        return new CaptureForm(images, capturedAt, plateHint, passageId, null);

        static CaptureForm Fail(int status, string title, string? detail = null) =>
            new([], null, null, null, TypedResults.Problem(statusCode: status, title: title, detail: detail));
    }

    private static string Base64UrlKey() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    // Camera keys are 256 random bits, so a plain SHA-256 resists guessing; no slow hash is needed.
    private static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
