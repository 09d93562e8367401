using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChargePointSimulator.Camera;

/// <summary>The pre-verification record the server created from an entrance image.</summary>
public sealed record PreVerificationRecord(
    string Id, string Verdict, string? Plate, string? VehicleId, double? Confidence, string? Source, JsonElement Raw);

/// <summary>
/// An entrance camera: posts a JPEG (or a burst of several frames of one passage) to <c>POST /api/cameras/{id}/captures</c>
/// (header X-Camera-Key, multipart form <c>image</c>, optional <c>capturedAt</c>, <c>plateHint</c> and <c>passageId</c>)
/// and returns the server's pre-verification record.
/// </summary>
public sealed class CameraClient(HttpClient http, string cameraId, string cameraKey)
{
    public string CameraId { get; } = cameraId;

    public Task<PreVerificationRecord> CaptureAsync(
        byte[] jpeg, DateTimeOffset? capturedAt = null, string? plateHint = null, CancellationToken cancellationToken = default) =>
        CaptureBurstAsync([jpeg], capturedAt, plateHint, passageId: null, cancellationToken);

    /// <summary>
    /// Posts several frames of one passage: all as <c>image</c> parts of one request, and with <paramref name="passageId"/>
    /// joined with the camera's other requests of that id (within the server's burst window): one record in all.
    /// </summary>
    public async Task<PreVerificationRecord> CaptureBurstAsync(
        IReadOnlyList<byte[]> frames, DateTimeOffset? capturedAt = null, string? plateHint = null, string? passageId = null,
        CancellationToken cancellationToken = default)
    {
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < frames.Count; i++)
        {
            var image = new ByteArrayContent(frames[i]);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(image, "image", frames.Count == 1 ? "entrance.jpg" : $"entrance-{i}.jpg");
        }

        if (passageId is not null)
        {
            form.Add(new StringContent(passageId), "passageId");
        }

        if (capturedAt is { } at)
        {
            form.Add(new StringContent(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)), "capturedAt");
        }

        if (plateHint is not null)
        {
            form.Add(new StringContent(plateHint), "plateHint");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cameras/{Uri.EscapeDataString(CameraId)}/captures") { Content = form };
        request.Headers.Add("X-Camera-Key", cameraKey);
        using var response = await http.SendAsync(request, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Camera capture failed: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        var root = JsonDocument.Parse(body).RootElement.Clone();
        return new PreVerificationRecord(
            root.GetProperty("id").GetString() ?? "",
            root.GetProperty("verdict").GetString() ?? "",
            OptionalString(root, "plate"),
            OptionalString(root, "vehicleId"),
            root.TryGetProperty("confidence", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetDouble() : null,
            OptionalString(root, "source"),
            root);
    }

    /// <summary>Renders <paramref name="frames"/> entrance scenes of <paramref name="plate"/> (EU white plate, seeds from <paramref name="seed"/>) and posts them as one burst.</summary>
    public Task<PreVerificationRecord> CapturePlateBurstAsync(
        PlateSceneGenerator scenes, string plate, int seed, int frames, DateTimeOffset? capturedAt = null, string? passageId = null,
        CancellationToken cancellationToken = default) =>
        CaptureBurstAsync([.. Enumerable.Range(0, frames).Select(i => scenes.Render(plate, PlateStyle.EuWhite, seed + i).Jpeg)], capturedAt,
            plateHint: null, passageId, cancellationToken);

    /// <summary>Renders an entrance scene of <paramref name="plate"/> (EU white plate) and posts it.</summary>
    public Task<PreVerificationRecord> CapturePlateAsync(
        PlateSceneGenerator scenes, string plate, int seed, DateTimeOffset? capturedAt = null, CancellationToken cancellationToken = default) =>
        CaptureAsync(scenes.Render(plate, PlateStyle.EuWhite, seed).Jpeg, capturedAt, plateHint: null, cancellationToken);

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
