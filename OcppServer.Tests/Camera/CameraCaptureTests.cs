using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ChargePointSimulator.Camera;
using OcppServer.Storage;
using OcppServer.Tests.Infrastructure;
using OpenCvSharp;

namespace OcppServer.Tests.Camera;

/// <summary>Entrance images posted through the real HTTP endpoint, read by the real plate reader.</summary>
public sealed class CameraCaptureTests
{
    private TestServer _server = null!;
    private PlateFonts _fonts = null!;
    private PlateSceneGenerator _scenes = null!;
    private string _cameraKey = "";
    private string _driverId = "";

    private const string Station = "ST-CAM";
    private const string Camera = "CAM-1";

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _server = await TestServer.StartAsync();
        _fonts = PlateFonts.Load();
        _scenes = new PlateSceneGenerator(_fonts);
        await PostAsync("/api/stations", new { id = Station, name = "Camera station" });
        var camera = await PostAsync("/api/cameras", new { id = Camera, stationId = Station });
        _cameraKey = camera.GetProperty("key").GetString()!;
        var driver = await PostAsync("/api/drivers", new { name = "Camera driver", idTags = new[] { "TAG-CAM" } });
        _driverId = driver.GetProperty("id").GetString()!;
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        _fonts.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Registered_vehicle_passes_and_the_image_is_kept()
    {
        string vehicleId = await RegisterVehicleAsync("KB47XRT", 1);
        var scene = _scenes.Render("KB47XRT", PlateStyle.EuWhite, seed: 101);
        var capturedAt = _server.Clock.GetUtcNow().AddSeconds(-30);
        using var response = await CaptureAsync(scene.Jpeg, capturedAt: capturedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var record = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"));
        Assert.That(record.GetProperty("plate").GetString(), Is.EqualTo("KB47XRT"));
        Assert.That(record.GetProperty("vehicleId").GetString(), Is.EqualTo(vehicleId));
        Assert.That(record.GetProperty("source").GetString(), Is.EqualTo("Camera"));
        Assert.That(record.GetProperty("confidence").GetDouble(), Is.InRange(0.5, 1.0));
        Assert.That(record.GetProperty("capturedAt").GetString(), Is.EqualTo(capturedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")));
        Assert.That(record.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(TruncateToMilliseconds(capturedAt).AddMinutes(30)),
            "the window starts when the car was seen");

        string id = record.GetProperty("id").GetString()!;
        byte[] stored = await _server.Api.GetByteArrayAsync($"/api/preverifications/{id}/image");
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(stored)), Is.EqualTo(record.GetProperty("imageSha256").GetString()));
        Assert.That(stored, Is.EqualTo(scene.Jpeg));
    }

    [TestCase("2001-06-01T12:00:00Z", 105, TestName = "A capture taken in 2001 is refused, never Passed")]
    [TestCase("+120", 106, TestName = "A capture dated two minutes ahead of server time is refused")]
    [TestCase("-120", 107, TestName = "A capture two minutes old is refused")]
    public async Task Capture_outside_the_clock_skew_is_refused(string capturedAt, int seed)
    {
        if (capturedAt.StartsWith('+') || capturedAt.StartsWith('-'))
        {
            capturedAt = _server.Clock.GetUtcNow().AddSeconds(int.Parse(capturedAt)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        }

        var scene = _scenes.Render("OT12OLD", PlateStyle.EuWhite, seed: seed);
        using var response = await CaptureAsync(scene.Jpeg, capturedAt: capturedAt);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var record = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("CaptureTimeOutOfRange"));
        Assert.That(record.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), Does.Contain("captured_at_out_of_range"));
    }

    [Test]
    public async Task The_same_image_bytes_sent_again_are_a_replay()
    {
        await RegisterVehicleAsync("RP34LAY", 6);
        byte[] jpeg = _scenes.Render("RP34LAY", PlateStyle.EuWhite, seed: 111).Jpeg;

        var first = await CaptureCreatedAsync(jpeg);
        var again = await CaptureCreatedAsync(jpeg);

        Assert.That(first.GetProperty("verdict").GetString(), Is.EqualTo("Passed"));
        Assert.That(again.GetProperty("verdict").GetString(), Is.EqualTo("Replayed"));
        Assert.That(again.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), Does.Contain("image_replayed"));
        Assert.That(again.GetProperty("imageSha256").GetString(), Is.EqualTo(first.GetProperty("imageSha256").GetString()));
    }

    [Test]
    public async Task Identical_images_sent_at_once_pass_only_once()
    {
        await RegisterVehicleAsync("CC56RUN", 7);
        byte[] jpeg = _scenes.Render("CC56RUN", PlateStyle.EuWhite, seed: 112).Jpeg;

        var records = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CaptureCreatedAsync(jpeg)));

        Assert.That(records.Select(r => r.GetProperty("verdict").GetString()),
            Is.EquivalentTo(new[] { "Passed", "Replayed", "Replayed", "Replayed" }));
    }

    [Test]
    public async Task Unregistered_plate_is_an_unknown_vehicle()
    {
        var record = await CaptureCreatedAsync(_scenes.Render("ZX98WQP", PlateStyle.EuYellow, seed: 102).Jpeg);
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("UnknownVehicle"), record.ToString());
        Assert.That(record.TryGetProperty("vehicleId", out var v) && v.ValueKind == JsonValueKind.String, Is.False);
    }

    [Test]
    public async Task Blocked_vehicle_is_recorded_as_blocked()
    {
        string vehicleId = await RegisterVehicleAsync("MN21BLK", 2);
        await PostAsync($"/api/vehicles/{vehicleId}/block", new { });
        var record = await CaptureCreatedAsync(_scenes.Render("MN21BLK", PlateStyle.EuWhite, seed: 103).Jpeg);
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("BlockedVehicle"));
        Assert.That(record.GetProperty("vehicleId").GetString(), Is.EqualTo(vehicleId));
    }

    [Test]
    public async Task A_disagreeing_camera_hint_gives_low_confidence_and_an_agreeing_one_passes()
    {
        await RegisterVehicleAsync("PQ55HNT", 3);
        byte[] image = _scenes.Render("PQ55HNT", PlateStyle.EuWhite, seed: 104).Jpeg;
        var disagreeing = await CaptureCreatedAsync(image, plateHint: "PQ55HNX");
        Assert.That(disagreeing.GetProperty("verdict").GetString(), Is.EqualTo("LowConfidence"));
        Assert.That(disagreeing.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), Does.Contain("camera_hint_disagrees"));

        // Another picture of the same car: the same bytes again would be a replay.
        var agreeing = await CaptureCreatedAsync(_scenes.Render("PQ55HNT", PlateStyle.EuWhite, seed: 1104).Jpeg, plateHint: "pq55 hnt");
        Assert.That(agreeing.GetProperty("verdict").GetString(), Is.EqualTo("Passed"));
    }

    [Test]
    public async Task Chinese_new_energy_plate_is_read_with_its_province_character()
    {
        string vehicleId = await RegisterVehicleAsync("粤B12345D", 4);
        var record = await CaptureCreatedAsync(_scenes.Render("粤B12345D", PlateStyle.CnGreen, seed: 105).Jpeg);
        Assert.That(record.GetProperty("plate").GetString(), Is.EqualTo("粤B12345D"));
        Assert.That(record.GetProperty("vehicleId").GetString(), Is.EqualTo(vehicleId));
    }

    [Test]
    public async Task Blank_and_blurred_images_are_unreadable()
    {
        using (var blank = new Mat(720, 1280, MatType.CV_8UC3, OpenCvSharp.Scalar.All(128)))
        {
            var record = await CaptureCreatedAsync(blank.ImEncode(".jpg"));
            Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Unreadable"));
        }

        using var sharp = Cv2.ImDecode(_scenes.Render("BL42URR", PlateStyle.EuWhite, seed: 106).Jpeg, ImreadModes.Color);
        using var blurred = new Mat();
        Cv2.GaussianBlur(sharp, blurred, new OpenCvSharp.Size(0, 0), 12);
        var blurredRecord = await CaptureCreatedAsync(blurred.ImEncode(".jpg"));
        Assert.That(blurredRecord.GetProperty("verdict").GetString(), Is.EqualTo("Unreadable"));
    }

    [Test]
    public async Task Bad_input_gets_a_precise_4xx_and_nothing_is_stored()
    {
        int before = await CountRecordsAsync();
        byte[] jpeg = _scenes.Render("TR11NCT", PlateStyle.EuWhite, seed: 107).Jpeg;

        await AssertProblemAsync(await CaptureAsync("this is not an image"u8.ToArray()), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await CaptureAsync(jpeg[..(jpeg.Length / 2)]), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await CaptureAsync([]), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await CaptureAsync(HugePngHeader()), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblemAsync(await CaptureAsync(jpeg, key: "wrong-key"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await CaptureAsync(jpeg, key: null), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await CaptureAsync(jpeg, camera: "NO-SUCH-CAMERA"), HttpStatusCode.Unauthorized); // as a wrong key: camera ids are not revealed
        await AssertProblemAsync(await CaptureAsync(jpeg, capturedAt: "yesterday"), HttpStatusCode.BadRequest);
        using (var notMultipart = await _server.Api.PostAsync($"/api/cameras/{Camera}/captures", new ByteArrayContent(jpeg)))
        {
            await AssertProblemAsync(notMultipart, HttpStatusCode.Unauthorized); // no camera key: refused before the body is read
        }

        Assert.That(await CountRecordsAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task The_camera_key_is_shown_once_and_stored_hashed()
    {
        var cameras = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/cameras?stationId={Station}");
        Assert.That(cameras.GetArrayLength(), Is.EqualTo(1));
        Assert.That(cameras[0].TryGetProperty("key", out _), Is.False);
        var stored = await _server.QueryDatabaseAsync("SELECT key_hash FROM cameras");
        Assert.That(stored.Select(r => (string)r["key_hash"]!), Has.None.Contains(_cameraKey));
        if (!TestServer.OnPostgreSql)
        {
            // Nowhere in the file either (free pages and the log included).
            byte[] database = await File.ReadAllBytesAsync(_server.GetService<SqliteDatabase>().DatabasePath);
            Assert.That(database.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(_cameraKey)), Is.EqualTo(-1));
        }
    }

    [Test]
    public async Task Images_are_purged_after_retention_but_records_stay()
    {
        var record = await CaptureCreatedAsync(_scenes.Render("RT77ENT", PlateStyle.EuWhite, seed: 108).Jpeg);
        string id = record.GetProperty("id").GetString()!;
        var retention = _server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ImageRetention>().Single();
        // An image no record names (a burst refused after its frames were written) is filed under the same day.
        var store = _server.Services.GetRequiredService<ImageStore>();
        string orphan = await store.SaveAsync(new byte[] { 1, 2, 3 }, new string('e', 64), "jpg", _server.Clock.GetUtcNow(), CancellationToken.None);
        _server.Clock.Advance(TimeSpan.FromDays(8));
        string recent = await store.SaveAsync(new byte[] { 4, 5, 6 }, new string('f', 64), "jpg", _server.Clock.GetUtcNow(), CancellationToken.None);
        Assert.That(await retention.PurgeAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(1));
        Assert.That(store.Resolve(orphan), Is.Null, "the orphan went with its day's folder");
        Assert.That(store.Resolve(recent), Is.Not.Null, "today's folder is not touched");
        using var image = await _server.Api.GetAsync($"/api/preverifications/{id}/image");
        Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var kept = await _server.Api.GetAsync($"/api/preverifications/{id}");
        Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_camera_pre_verification_lets_the_three_factor_gate_accept()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "camflow");
        var camera = await PostAsync("/api/cameras", new { id = "CAM-camflow", stationId = s.StationId });
        using var response = await CaptureAsync(
            _scenes.Render(s.Plate, PlateStyle.EuWhite, seed: 109).Jpeg, key: camera.GetProperty("key").GetString(), camera: "CAM-camflow");
        var record = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());

        await s.SendVinAsync();
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));
        var preVerification = (await s.LatestDecisionAsync()).GetProperty("factors").EnumerateArray()
            .Single(f => f.GetProperty("factor").GetString() == "preVerification");
        Assert.That(preVerification.GetProperty("evidenceId").GetString(), Is.EqualTo(record.GetProperty("id").GetString()));
    }

    private async Task<string> RegisterVehicleAsync(string plate, int seed)
    {
        string vin = LayeredScenario.NewVin(4000 + seed);
        var vehicle = await PostAsync("/api/vehicles", new { vin, plate, ownerDriverId = _driverId });
        return vehicle.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> CaptureCreatedAsync(byte[] image, string? plateHint = null)
    {
        using var response = await CaptureAsync(image, plateHint: plateHint);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> CaptureAsync(
        byte[] image, string? key = "", string camera = Camera, string? plateHint = null, string? capturedAt = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "image", "capture.jpg");
        if (plateHint is not null)
        {
            form.Add(new StringContent(plateHint), "plateHint");
        }

        if (capturedAt is not null)
        {
            form.Add(new StringContent(capturedAt), "capturedAt");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cameras/{camera}/captures") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("X-Camera-Key", key.Length == 0 ? _cameraKey : key);
        }

        return await _server.Api.SendAsync(request);
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMillisecond));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
    }

    /// <summary>A PNG whose header claims 100000 x 100000 pixels.</summary>
    private static byte[] HugePngHeader()
    {
        using var small = new Mat(8, 8, MatType.CV_8UC3, OpenCvSharp.Scalar.All(0));
        byte[] png = small.ImEncode(".png");
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 100_000);
        return png;
    }

    private async Task<int> CountRecordsAsync() =>
        (await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications?stationId={Station}&limit=1000")).GetArrayLength();

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _server.Api.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), $"POST {path}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
