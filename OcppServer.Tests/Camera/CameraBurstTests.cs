using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ChargePointSimulator.Camera;
using Microsoft.Extensions.DependencyInjection;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Camera;

/// <summary>
/// Bursts: several frames of one passage, in one multipart request or in several requests sharing a passage id, give one
/// pre-verification record. Real HTTP, the real plate reader, generated plate images; on SQLite or, with
/// OCPPAUTH_TEST_STORAGE=PostgreSql, on PostgreSQL.
/// </summary>
public sealed class CameraBurstTests
{
    private TestServer _server = null!;
    private PlateFonts _fonts = null!;
    private PlateSceneGenerator _scenes = null!;
    private string _driverId = "";
    private readonly Dictionary<string, string> _keys = [];

    private const string Station = "ST-BURST";
    private const string Camera = "CAM-B1";
    private const string OtherCamera = "CAM-B2";

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Vision:MaxBurstFrames"] = "4",
            ["Vision:MaxBurstBytes"] = "1000000",
            ["Vision:BurstWindowSeconds"] = "5",
        });
        _fonts = PlateFonts.Load();
        _scenes = new PlateSceneGenerator(_fonts);
        await PostAsync("/api/stations", new { id = Station, name = "Burst station" });
        foreach (string camera in new[] { Camera, OtherCamera })
        {
            _keys[camera] = (await PostAsync("/api/cameras", new { id = camera, stationId = Station })).GetProperty("key").GetString()!;
        }

        _driverId = (await PostAsync("/api/drivers", new { name = "Burst driver", idTags = new[] { "TAG-BURST" } })).GetProperty("id").GetString()!;
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        _fonts.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_multipart_burst_of_three_frames_gives_one_record_with_every_frame_archived()
    {
        string vehicleId = await RegisterVehicleAsync("BU12RST", 1);
        byte[][] frames = [.. Enumerable.Range(0, 3).Select(i => Jpeg("BU12RST", 200 + i))];
        int before = await CountRecordsAsync();

        using var response = await CaptureAsync(frames);
        var record = await CreatedAsync(response, HttpStatusCode.Created);

        Assert.That(await CountRecordsAsync(), Is.EqualTo(before + 1), "one passage, one record");
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
        Assert.That(record.GetProperty("plate").GetString(), Is.EqualTo("BU12RST"));
        Assert.That(record.GetProperty("vehicleId").GetString(), Is.EqualTo(vehicleId));
        Assert.That(Reasons(record), Does.Contain("burst_frames:3"));

        string id = record.GetProperty("id").GetString()!;
        var stored = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{id}/frames");
        string[] hashes = [.. frames.Select(f => Convert.ToHexStringLower(SHA256.HashData(f)))];
        Assert.That(stored.EnumerateArray().Select(f => f.GetProperty("imageSha256").GetString()), Is.EqualTo(hashes));
        Assert.That(stored.EnumerateArray().Select(f => f.GetProperty("claim").GetString()), Is.All.EqualTo("Claimed"));
        Assert.That(hashes, Does.Contain(record.GetProperty("imageSha256").GetString()), "the record's image is one of its frames");
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.That(await _server.Api.GetByteArrayAsync($"/api/preverifications/{id}/frames/{i}/image"), Is.EqualTo(frames[i]));
        }
    }

    [Test]
    public async Task Two_requests_with_the_same_passage_id_within_the_window_give_one_record_and_after_it_two()
    {
        await RegisterVehicleAsync("PA55AGE", 2);
        var t0 = _server.Clock.GetUtcNow().AddSeconds(-10);
        int before = await CountRecordsAsync();

        var first = await CreatedAsync(await CaptureAsync([Jpeg("PA55AGE", 210)], passageId: "gate-1/0001", capturedAt: t0), HttpStatusCode.Created);
        var joined = await CreatedAsync(await CaptureAsync([Jpeg("PA55AGE", 211)], passageId: "gate-1/0001", capturedAt: t0.AddSeconds(3)), HttpStatusCode.OK);
        Assert.That(joined.GetProperty("id").GetString(), Is.EqualTo(first.GetProperty("id").GetString()));
        Assert.That(await CountRecordsAsync(), Is.EqualTo(before + 1));
        Assert.That(joined.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), joined.ToString());
        Assert.That(Reasons(joined), Does.Contain("burst_frames:2"));
        Assert.That(joined.GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(first.GetProperty("expiresAt").GetDateTimeOffset()),
            "a joining frame never extends the pre-verification window");

        var later = await CreatedAsync(await CaptureAsync([Jpeg("PA55AGE", 212)], passageId: "gate-1/0001", capturedAt: t0.AddSeconds(6)), HttpStatusCode.Created);
        Assert.That(later.GetProperty("id").GetString(), Is.Not.EqualTo(first.GetProperty("id").GetString()), "past the window: a new passage");
        Assert.That(await CountRecordsAsync(), Is.EqualTo(before + 2));
        Assert.That(await FrameCountAsync(first), Is.EqualTo(2));
        Assert.That(await FrameCountAsync(later), Is.EqualTo(1));

        // A frame taken before the window of the passage now open joins nothing.
        await AssertProblemAsync(await CaptureAsync([Jpeg("PA55AGE", 213)], passageId: "gate-1/0001", capturedAt: t0.AddSeconds(-1)), HttpStatusCode.Conflict);
        Assert.That(await CountRecordsAsync(), Is.EqualTo(before + 2));
    }

    [Test]
    public async Task Frames_sent_at_once_with_the_same_passage_id_all_land_in_one_record()
    {
        await RegisterVehicleAsync("CO11NCR", 3);
        var t0 = _server.Clock.GetUtcNow();
        int before = await CountRecordsAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            using var response = await CaptureAsync([Jpeg("CO11NCR", 220 + i)], passageId: "concurrent", capturedAt: t0.AddMilliseconds(100 * i));
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            return (response.StatusCode, Record: JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }));

        Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.Created), Is.EqualTo(1), "one request opened the passage");
        Assert.That(answers.Select(a => a.Record.GetProperty("id").GetString()).Distinct().Count(), Is.EqualTo(1));
        Assert.That(await CountRecordsAsync(), Is.EqualTo(before + 1));
        var record = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{answers[0].Record.GetProperty("id").GetString()}");
        Assert.That(await FrameCountAsync(record), Is.EqualTo(4), "every frame counted once");
        Assert.That(Reasons(record), Does.Contain("burst_frames:4"));
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
    }

    [Test]
    public async Task Another_camera_cannot_join_a_cameras_passage()
    {
        await RegisterVehicleAsync("OW22NER", 4);
        var t0 = _server.Clock.GetUtcNow();
        var mine = await CreatedAsync(await CaptureAsync([Jpeg("OW22NER", 230)], passageId: "shared-id", capturedAt: t0), HttpStatusCode.Created);

        var theirs = await CreatedAsync(
            await CaptureAsync([Jpeg("ZZ99ZZZ", 231)], passageId: "shared-id", capturedAt: t0.AddSeconds(1), camera: OtherCamera), HttpStatusCode.Created);

        Assert.That(theirs.GetProperty("id").GetString(), Is.Not.EqualTo(mine.GetProperty("id").GetString()));
        Assert.That(theirs.GetProperty("cameraId").GetString(), Is.EqualTo(OtherCamera));
        var unchanged = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{mine.GetProperty("id").GetString()}");
        Assert.That(unchanged.GetProperty("verdict").GetString(), Is.EqualTo("Passed"));
        Assert.That(await FrameCountAsync(unchanged), Is.EqualTo(1));
    }

    [Test]
    public async Task Limits_give_precise_problems_and_store_nothing()
    {
        int before = await CountRecordsAsync();
        byte[] jpeg = Jpeg("LI11MIT", 240);

        await AssertProblemAsync(await CaptureAsync([.. Enumerable.Repeat(jpeg, 5)]), HttpStatusCode.BadRequest, "Too many frames");
        byte[] big = new byte[400_000];
        await AssertProblemAsync(await CaptureAsync([big, big, big]), HttpStatusCode.RequestEntityTooLarge, "Burst too large");
        await AssertProblemAsync(await CaptureAsync([jpeg], passageId: new string('p', 65)), HttpStatusCode.BadRequest, "Invalid passageId");
        await AssertProblemAsync(await CaptureAsync([jpeg], passageId: "bad\nid"), HttpStatusCode.BadRequest, "Invalid passageId");
        await AssertProblemAsync(await CaptureAsync([jpeg, "not an image"u8.ToArray()]), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await CaptureAsync([jpeg, jpeg], key: "wrong"), HttpStatusCode.Unauthorized);
        Assert.That(await CountRecordsAsync(), Is.EqualTo(before));

        // A passage holds at most Vision:MaxBurstFrames frames across its requests.
        var t0 = _server.Clock.GetUtcNow();
        await CreatedAsync(await CaptureAsync([Jpeg("LI11MIT", 241), Jpeg("LI11MIT", 242), Jpeg("LI11MIT", 243)], passageId: "full", capturedAt: t0),
            HttpStatusCode.Created);
        await AssertProblemAsync(
            await CaptureAsync([Jpeg("LI11MIT", 244), Jpeg("LI11MIT", 245)], passageId: "full", capturedAt: t0.AddSeconds(1)), HttpStatusCode.Conflict, "Passage full");
        Assert.That(await CountRecordsAsync(), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task A_frame_seen_before_makes_the_whole_passage_a_replay()
    {
        await RegisterVehicleAsync("RE77PLY", 5);
        byte[] old = Jpeg("RE77PLY", 250);
        await CreatedAsync(await CaptureAsync([old]), HttpStatusCode.Created);

        var burst = await CreatedAsync(await CaptureAsync([Jpeg("RE77PLY", 251), old]), HttpStatusCode.Created);

        Assert.That(burst.GetProperty("verdict").GetString(), Is.EqualTo("Replayed"));
        Assert.That(Reasons(burst), Does.Contain("image_replayed"));
    }

    [Test]
    public async Task A_consumed_passage_takes_no_more_frames_and_a_late_doubt_refuses_the_start()
    {
        // The gate started a transaction on the passage's record: the record never changes again.
        await using (var s = await LayeredScenario.CreateAsync(_server, "burstused"))
        {
            string key = await RegisterCameraAsync("CAM-burstused", s.StationId);
            var t0 = _server.Clock.GetUtcNow();
            var record = await CreatedAsync(
                await CaptureAsync([Jpeg(s.Plate, 260), Jpeg(s.Plate, 261)], passageId: "p1", capturedAt: t0, camera: "CAM-burstused", key: key),
                HttpStatusCode.Created);
            Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
            await s.SendVinAsync();
            await s.SendTokenAsync(s.GenuineToken());
            var start = await s.StartTransactionAsync();
            Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));

            await AssertProblemAsync(
                await CaptureAsync([Jpeg(s.Plate, 262)], passageId: "p1", capturedAt: t0.AddSeconds(1), camera: "CAM-burstused", key: key),
                HttpStatusCode.Conflict, "Passage already used");
            var after = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{record.GetProperty("id").GetString()}");
            Assert.That(await FrameCountAsync(after), Is.EqualTo(2));
            Assert.That(after.GetProperty("consumedByTransactionId").GetInt64(), Is.EqualTo(start.GetProperty("transactionId").GetInt64()));
        }

        // Before any start: a frame of another registered car puts the passage in doubt, and the start is refused.
        await using (var s = await LayeredScenario.CreateAsync(_server, "burstdoubt"))
        {
            string key = await RegisterCameraAsync("CAM-burstdoubt", s.StationId);
            string otherPlate = "DO44UBT";
            await RegisterVehicleAsync(otherPlate, 6);
            var t0 = _server.Clock.GetUtcNow();
            var record = await CreatedAsync(
                await CaptureAsync([Jpeg(s.Plate, 270)], passageId: "p1", capturedAt: t0, camera: "CAM-burstdoubt", key: key), HttpStatusCode.Created);
            Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
            await s.SendVinAsync();
            await s.SendTokenAsync(s.GenuineToken());
            Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));

            var doubted = await CreatedAsync(
                await CaptureAsync([Jpeg(otherPlate, 271), Jpeg(otherPlate, 272)], passageId: "p1", capturedAt: t0.AddSeconds(1), camera: "CAM-burstdoubt", key: key),
                HttpStatusCode.OK);
            Assert.That(doubted.GetProperty("verdict").GetString(), Is.Not.EqualTo("Passed"), doubted.ToString());
            Assert.That(doubted.GetProperty("vehicleId").GetString(), Is.EqualTo(s.VehicleId), "a passage never moves to another vehicle");

            var start = await s.StartTransactionAsync();
            Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.Not.EqualTo("Accepted"));
        }
    }

    [Test]
    public async Task A_bursts_frames_are_purged_with_its_record_after_retention()
    {
        var record = await CreatedAsync(await CaptureAsync([Jpeg("RT88ENT", 280), Jpeg("RT88ENT", 281)]), HttpStatusCode.Created);
        string id = record.GetProperty("id").GetString()!;
        var retention = _server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<OcppServer.Storage.ImageRetention>().Single();
        _server.Clock.Advance(TimeSpan.FromDays(8));

        Assert.That(await retention.PurgeAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(1));

        var frames = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{id}/frames");
        Assert.That(frames.EnumerateArray().Select(f => f.GetProperty("imageKept").GetBoolean()), Is.EqualTo(new[] { false, false }));
        for (int i = 0; i < 2; i++)
        {
            using var image = await _server.Api.GetAsync($"/api/preverifications/{id}/frames/{i}/image");
            Assert.That(image.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        Assert.That(Directory.EnumerateFiles(_server.DataDirectory, "*.jpg", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))),
            Has.None.AnyOf(frames.EnumerateArray().Select(f => (object)f.GetProperty("imageSha256").GetString()!).ToArray()), "the files are gone");
    }

    [Test]
    public async Task The_simulators_camera_sends_a_burst_as_one_passage()
    {
        string vehicleId = await RegisterVehicleAsync("SI33MUL", 7);
        var camera = new CameraClient(_server.Api, Camera, _keys[Camera]);

        var record = await camera.CapturePlateBurstAsync(_scenes, "SI33MUL", seed: 290, frames: 3, passageId: "sim-1");

        Assert.That(record.Verdict, Is.EqualTo("Passed"), record.Raw.ToString());
        Assert.That(record.VehicleId, Is.EqualTo(vehicleId));
        Assert.That(Reasons(record.Raw), Does.Contain("burst_frames:3"));
    }

    private byte[] Jpeg(string plate, int seed) => _scenes.Render(plate, PlateStyle.EuWhite, seed).Jpeg;

    private async Task<string> RegisterVehicleAsync(string plate, int seed)
    {
        var vehicle = await PostAsync("/api/vehicles", new { vin = LayeredScenario.NewVin(5000 + seed), plate, ownerDriverId = _driverId });
        return vehicle.GetProperty("id").GetString()!;
    }

    private async Task<string> RegisterCameraAsync(string camera, string station)
    {
        _keys[camera] = (await PostAsync("/api/cameras", new { id = camera, stationId = station })).GetProperty("key").GetString()!;
        return _keys[camera];
    }

    private async Task<HttpResponseMessage> CaptureAsync(
        IReadOnlyList<byte[]> images, string? passageId = null, DateTimeOffset? capturedAt = null, string camera = Camera, string? key = null)
    {
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < images.Count; i++)
        {
            var file = new ByteArrayContent(images[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "image", $"frame{i}.jpg");
        }

        if (passageId is not null)
        {
            form.Add(new StringContent(passageId), "passageId");
        }

        if (capturedAt is { } at)
        {
            form.Add(new StringContent(at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")), "capturedAt");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cameras/{camera}/captures") { Content = form };
        request.Headers.Add("X-Camera-Key", key ?? _keys[camera]);
        return await _server.Api.SendAsync(request);
    }

    private static async Task<JsonElement> CreatedAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(expected), body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? title = null)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(expected), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            if (title is not null)
            {
                Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("title").GetString(), Is.EqualTo(title));
            }
        }
    }

    private static IEnumerable<string?> Reasons(JsonElement record) => record.GetProperty("reasons").EnumerateArray().Select(r => r.GetString());

    private async Task<int> FrameCountAsync(JsonElement record) =>
        (await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{record.GetProperty("id").GetString()}/frames")).GetArrayLength();

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
