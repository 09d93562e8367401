using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChargePointSimulator.Camera;
using OcppServer.Authorization.PreVerification;
using OcppServer.Operators;
using OcppServer.Storage;
using OcppServer.Tests.Infrastructure;
using DetailModel = OcppServer.Dashboard.Pages.Decisions.DetailModel;

namespace OcppServer.Tests.Dashboard;

/// <summary>
/// The decision pages (area dpages) against the real server: a three-factor world (LayeredScenario) whose entrance
/// image is posted to the real camera endpoint and read by the real plate reader; decisions made over a real OCPP
/// WebSocket; pages read over HTTP by a signed-in viewer.
/// </summary>
public sealed partial class DecisionsPagesTests
{
    /// <summary>A plate and rendering seed the plate reader is known to read (as in CameraCaptureTests).</summary>
    private const string CameraPlate = "KB47XRT";
    private const int CameraSeed = 101;

    private TestServer _server = null!;
    private LayeredScenario _world = null!;
    private DashboardClient _viewer = null!;
    private byte[] _image = [];
    private string _preVerificationId = "";
    private string _cameraVin = "";
    private string _cameraVehicleId = "";
    private long _refusedId;
    private long _acceptedId;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _server = await TestServer.StartAsync();
        _world = await LayeredScenario.CreateAsync(_server, "dpcam");

        // Refused first: nothing presented at the connector yet.
        Assert.That(await _world.AuthorizeAsync(), Is.EqualTo("Invalid"));
        _refusedId = (await _world.LatestDecisionAsync()).GetProperty("id").GetInt64();

        // Then the car passes the entrance camera, reports its VIN, and the driver's face is read: accepted.
        _cameraVin = LayeredScenario.NewVin(4000 + CameraSeed);
        _cameraVehicleId = await _world.CreateVehicleAsync(_cameraVin, CameraPlate, _world.DriverId);
        var camera = await _world.PostAsync("/api/cameras", new { id = "CAM-dpcam", stationId = _world.StationId });
        using (var fonts = PlateFonts.Load())
        {
            _image = new PlateSceneGenerator(fonts).Render(CameraPlate, PlateStyle.EuWhite, seed: CameraSeed).Jpeg;
        }

        var record = await _server.PostCaptureAsync("CAM-dpcam", camera.GetProperty("key").GetString()!, _image);
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
        _preVerificationId = record.GetProperty("id").GetString()!;
        Assert.That((await _world.SendVinAsync(vin: _cameraVin)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That((await _world.SendTokenAsync(_world.GenuineToken())).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That(await _world.AuthorizeAsync(), Is.EqualTo("Accepted"));
        _acceptedId = (await _world.LatestDecisionAsync()).GetProperty("id").GetInt64();

        _viewer = await DashboardClient.SignInAsync(_server, OperatorRole.Viewer);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        _viewer?.Dispose();
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    [Test]
    public async Task An_accepted_and_a_refused_decision_appear_newest_first_with_their_reasons_in_words()
    {
        var (status, html) = await _viewer.GetPageAsync($"/decisions?chargepoint={_world.ChargePointId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var rows = Rows(html);
        Assert.That(rows.Select(r => r.Id), Is.EqualTo(new[] { _acceptedId, _refusedId }), "newest first");

        var accepted = rows[0];
        Assert.That(accepted.Result, Is.EqualTo("Accepted"));
        Assert.That(accepted.Badge, Is.EqualTo("ok"));
        Assert.That(accepted.Text, Does.Contain("Every factor the station requires agreed on the same driver and vehicle."));
        Assert.That(accepted.Text, Does.Contain(_world.IdTag).And.Contain("Driver dpcam").And.Contain(CameraPlate).And.Contain("Authorize"));
        Assert.That(accepted.Html, Does.Contain($"href=\"/decisions?driver={_world.DriverId}\"").And.Contain($"title=\"Vehicle {_cameraVehicleId}\"")
            .And.Contain($"href=\"/decisions/{_acceptedId}\""));

        var refused = rows[1];
        Assert.That(refused.Result, Is.EqualTo("Invalid"));
        Assert.That(refused.Badge, Is.EqualTo("bad"));
        Assert.That(refused.Text, Does.Contain("NoVinReported").And.Contain("The vehicle reported no VIN on this connector in its current session."));
    }

    [Test]
    public async Task The_refused_filter_shows_only_refused_decisions()
    {
        await using var other = await LayeredScenario.CreateAsync(_server, "dpref");
        await other.PresentAllEvidenceAsync();
        Assert.That(await other.AuthorizeAsync(), Is.EqualTo("Accepted"));
        Assert.That(await other.AuthorizeAsync("TAG-dpref-unknown"), Is.EqualTo("Invalid"));

        long unknownTagId = (await other.LatestDecisionAsync()).GetProperty("id").GetInt64();

        var all = Rows((await _viewer.GetPageAsync($"/decisions?station={other.StationId}")).Html);
        Assert.That(all.Select(r => r.Result), Is.EqualTo(new[] { "Invalid", "Accepted" }));

        var (status, html) = await _viewer.GetPageAsync($"/decisions?refused=true&station={other.StationId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Rows(html).Select(r => r.Id), Is.EqualTo(new[] { unknownTagId }));
        Assert.That(html, Does.Contain("<input type=\"checkbox\" id=\"refused\" name=\"refused\" value=\"true\" checked=\"checked\">"),
            "the filter shows as set");
        Assert.That(Rows((await _viewer.GetPageAsync($"/decisions?refused=true&chargepoint={_world.ChargePointId}")).Html).Select(r => r.Id),
            Is.EqualTo(new[] { _refusedId }));

        var refused = Rows((await _viewer.GetPageAsync("/decisions?refused=true")).Html);
        Assert.That(refused, Is.Not.Empty);
        Assert.That(refused.Select(r => r.Result), Has.None.EqualTo("Accepted"));
        Assert.That(refused.Select(r => r.Badge), Is.All.EqualTo("bad"));
    }

    [Test]
    public async Task The_reason_and_driver_filters_show_only_their_decisions()
    {
        await using var other = await LayeredScenario.CreateAsync(_server, "dpdrv");
        await other.PreVerifyAsync();
        await other.SendVinAsync();
        Assert.That(await other.AuthorizeAsync(), Is.EqualTo("Invalid")); // no face read yet
        long otherId = (await other.LatestDecisionAsync()).GetProperty("id").GetInt64();

        var byReason = Rows((await _viewer.GetPageAsync("/decisions?reason=NoBiometricToken")).Html);
        Assert.That(byReason.Select(r => r.Id), Does.Contain(otherId).And.Not.Contain(_refusedId).And.Not.Contain(_acceptedId));
        Assert.That(byReason.Select(r => r.Reason), Is.All.EqualTo("NoBiometricToken"));
        Assert.That(Rows((await _viewer.GetPageAsync($"/decisions?reason=NoVinReported&station={_world.StationId}")).Html).Select(r => r.Id),
            Is.EqualTo(new[] { _refusedId }));

        var byDriver = Rows((await _viewer.GetPageAsync($"/decisions?driver={Uri.EscapeDataString(other.DriverId)}")).Html);
        Assert.That(byDriver.Select(r => r.Id), Is.EqualTo(new[] { otherId }));
        var ours = Rows((await _viewer.GetPageAsync($"/decisions?driver={Uri.EscapeDataString(_world.DriverId)}")).Html);
        Assert.That(ours.Select(r => r.Id), Is.SupersetOf(new[] { _acceptedId, _refusedId }).And.Not.Contain(otherId));

        // Filters combine: this driver's refusals for this reason only.
        var combined = Rows((await _viewer.GetPageAsync(
            $"/decisions?refused=true&reason=NoVinReported&driver={Uri.EscapeDataString(_world.DriverId)}&phase=Authorize")).Html);
        Assert.That(combined.Select(r => r.Id), Is.EqualTo(new[] { _refusedId }));
        Assert.That(Rows((await _viewer.GetPageAsync($"/decisions?driver={Uri.EscapeDataString(_world.DriverId)}&phase=StartTransaction")).Html),
            Is.Empty);
    }

    [Test]
    public async Task The_station_and_charge_point_filters_show_only_that_stations_decisions()
    {
        await using var other = await LayeredScenario.CreateAsync(_server, "dpsta");
        Assert.That(await other.AuthorizeAsync(), Is.EqualTo("Invalid"));
        long otherId = (await other.LatestDecisionAsync()).GetProperty("id").GetInt64();

        var (status, html) = await _viewer.GetPageAsync($"/decisions?station={Uri.EscapeDataString(other.StationId)}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Rows(html).Select(r => r.Id), Is.EqualTo(new[] { otherId }));
        Assert.That(html, Does.Contain($"<option value=\"{other.StationId}\" selected=\"selected\">"), "the station filter shows as set");
        Assert.That(Rows((await _viewer.GetPageAsync($"/decisions?station={_world.StationId}")).Html).Select(r => r.Id),
            Is.SupersetOf(new[] { _acceptedId, _refusedId }).And.Not.Contain(otherId));
        Assert.That(Rows((await _viewer.GetPageAsync($"/decisions?chargepoint={other.ChargePointId}")).Html).Select(r => r.Id),
            Is.EqualTo(new[] { otherId }));
        Assert.That(Rows((await _viewer.GetPageAsync("/decisions?station=ST-nowhere")).Html), Is.Empty);
    }

    [Test]
    public async Task Paging_walks_more_than_fifty_decisions_newest_first_without_duplicates_or_gaps()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "dppage");
        const int count = 123;
        for (int i = 0; i < count; i++)
        {
            Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        }

        var expected = (await _server.Api.GetFromJsonAsync<JsonElement>($"/api/authorizations?chargePointId={s.ChargePointId}&limit=1000"))
            .EnumerateArray().Select(d => d.GetProperty("id").GetInt64()).ToList();
        Assert.That(expected, Has.Count.EqualTo(count));

        var seen = new List<long>();
        var pageSizes = new List<int>();
        string? next = $"/decisions?chargepoint={s.ChargePointId}&refused=true";
        while (next is not null)
        {
            var (status, html) = await _viewer.GetPageAsync(next);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), next);
            var rows = Rows(html);
            pageSizes.Add(rows.Count);
            seen.AddRange(rows.Select(r => r.Id));
            var link = NextLink().Match(html);
            next = link.Success ? WebUtility.HtmlDecode(link.Groups[1].Value) : null;
            Assert.That(pageSizes, Has.Count.LessThan(10), "paging ends");
            if (next is not null)
            {
                Assert.That(next, Does.Contain("chargepoint=" + s.ChargePointId).And.Contain("refused=true"), "the next page keeps the filters");
            }
        }

        Assert.That(pageSizes[0], Is.EqualTo(50));
        Assert.That(pageSizes.Take(2), Is.All.EqualTo(50));
        Assert.That(seen, Is.EqualTo(expected), "every decision once, newest first");
        Assert.That(seen, Is.Unique);
    }

    [Test]
    public async Task The_detail_page_shows_the_three_factors_with_plate_vin_similarity_and_image()
    {
        var (status, html) = await _viewer.GetPageAsync($"/decisions/{_acceptedId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        string text = WebUtility.HtmlDecode(html);

        Assert.That(text, Does.Contain("id=\"decision-result\">Accepted<"));
        Assert.That(text, Does.Contain("Every factor the station requires agreed on the same driver and vehicle."));
        Assert.That(html, Does.Contain("class=\"factor ok\" id=\"factor-idtag\""));
        Assert.That(html, Does.Contain("class=\"factor ok\" id=\"factor-preverification\""));
        Assert.That(html, Does.Contain("class=\"factor ok\" id=\"factor-vin\""));
        Assert.That(html, Does.Contain("class=\"factor ok\" id=\"factor-biometric\""));

        // (a) the entrance camera: the plate read, the camera, the verdict, the vehicle and the image itself.
        Assert.That(Section(html, "factor-preverification"), Does.Contain($"id=\"pre-plate\">{CameraPlate}<")
            .And.Contain("CAM-dpcam").And.Contain("Passed").And.Contain(_cameraVehicleId).And.Contain(_world.StationId)
            .And.Contain($"src=\"/captures/{_preVerificationId}/image\""));
        Assert.That(html, Does.Not.Contain("id=\"pre-frames\""), "a single image has no frames");

        // (b) the VIN report and the vehicle it named.
        Assert.That(Section(html, "factor-vin"), Does.Contain($"id=\"vin-value\">{_cameraVin}<").And.Contain("EVCC-0001").And.Contain(_cameraVehicleId));

        // (c) the biometric match: similarity against the station's threshold, liveness, the reader's key; no token.
        var similarity = SimilarityPattern().Match(Section(html, "factor-biometric"));
        Assert.That(similarity.Success, Is.True, Section(html, "factor-biometric"));
        Assert.That(double.Parse(similarity.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0.8));
        Assert.That(similarity.Groups[2].Value, Is.EqualTo("0.800"));
        Assert.That(Section(html, "factor-biometric"), Does.Contain(_world.Reader.KeyId).And.Contain("BiometricMatched"));
        Assert.That(html, Does.Not.Contain("eyJ"), "no token (a JWS starts with eyJ) is shown");

        // The links and the policy in force.
        Assert.That(html, Does.Contain($"href=\"/chargepoints/{_world.ChargePointId}\"")
            .And.Contain($"href=\"/registry/drivers/{_world.DriverId}\"")
            .And.Contain($"href=\"/registry/vehicles?plate={CameraPlate}\"")
            .And.Contain($"href=\"/registry/stations/{_world.StationId}\"")
            .And.Contain("id=\"decision-policy\""));
    }

    [Test]
    public async Task The_detail_of_a_refusal_names_the_failing_factor()
    {
        var (status, html) = await _viewer.GetPageAsync($"/decisions/{_refusedId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("class=\"factor bad\" id=\"factor-vin\""));
        Assert.That(WebUtility.HtmlDecode(html), Does.Contain("The vehicle reported no VIN on this connector in its current session."));
        Assert.That(Section(html, "factor-biometric"), Does.Contain("NoBiometricToken"));

        Assert.That((await _viewer.GetPageAsync("/decisions/987654321")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_capture_image_is_served_to_a_signed_in_viewer_only()
    {
        using (var response = await _viewer.Http.GetAsync($"/captures/{_preVerificationId}/image"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(_image));
        }

        using (var anonymous = DashboardClient.Anonymous(_server))
        using (var response = await anonymous.Http.GetAsync($"/captures/{_preVerificationId}/image"))
        {
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Redirect, HttpStatusCode.Unauthorized));
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.That(response.Headers.Location?.ToString(), Does.Contain("/account/login"));
            }

            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Not.EqualTo(_image));
        }

        // An API key is not a dashboard session (the API serves the image at /api/preverifications/{id}/image).
        using (var withKey = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseUri })
        {
            withKey.DefaultRequestHeaders.Add("X-Api-Key", TestServer.ApiKey);
            using var response = await withKey.GetAsync($"/captures/{_preVerificationId}/image");
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Redirect, HttpStatusCode.Unauthorized));
        }

        // Only by record id: no path gets through.
        foreach (string probe in new[] { "does-not-exist", "..%2F..%2Focppauth.db", "%2E%2E" })
        {
            using var response = await _viewer.Http.GetAsync($"/captures/{probe}/image");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), probe);
        }
    }

    [Test]
    public async Task A_bursts_frames_are_listed_on_the_detail_page_and_each_frame_is_served_to_a_signed_in_viewer_only()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "dpburst");
        var camera = await s.PostAsync("/api/cameras", new { id = "CAM-dpburst", stationId = s.StationId });
        string vin = LayeredScenario.NewVin(4200);
        await s.CreateVehicleAsync(vin, "BU12RST", s.DriverId);
        byte[][] frames;
        using (var fonts = PlateFonts.Load())
        {
            var scenes = new PlateSceneGenerator(fonts);
            frames = [.. Enumerable.Range(0, 3).Select(i => scenes.Render("BU12RST", PlateStyle.EuWhite, seed: 200 + i).Jpeg)];
        }

        // Three frames and a camera's resend of the first: four frames, the last one a duplicate.
        var record = await _server.PostBurstAsync("CAM-dpburst", camera.GetProperty("key").GetString()!, [.. frames, frames[0]]);
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
        string id = record.GetProperty("id").GetString()!;
        await s.SendVinAsync(vin: vin);
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));
        long decisionId = (await s.LatestDecisionAsync()).GetProperty("id").GetInt64();

        var (status, html) = await _viewer.GetPageAsync($"/decisions/{decisionId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        string section = Section(html, "factor-preverification");
        Assert.That(section, Does.Contain("<caption>Frames of this passage</caption>").And.Contain("<th scope=\"col\" class=\"num\">Frame</th>"));
        var rows = FrameRowPattern().Matches(section);
        Assert.That(rows.Select(r => int.Parse(r.Groups[1].Value)), Is.EqualTo(new[] { 0, 1, 2, 3 }), section);
        var listed = (await _server.Api.GetFromJsonAsync<JsonElement>($"/api/preverifications/{id}/frames")).EnumerateArray().ToList();
        Assert.That(listed, Has.Count.EqualTo(4));
        foreach (var (row, frame) in rows.Zip(listed))
        {
            string cells = row.Groups[2].Value;
            int index = frame.GetProperty("index").GetInt32();
            string plate = frame.GetProperty("plate").GetString() ?? "unread";
            string url = $"/captures/{id}/frames/{index}/image";
            Assert.That(cells, Does.Contain($"<th scope=\"row\" class=\"num\">{index}</th>")
                .And.Contain(frame.GetProperty("claim").GetString()!)
                .And.Contain(DetailModel.Score(frame.GetProperty("confidence").GetDouble()))
                .And.Contain(DetailModel.ClockTime(frame.GetProperty("capturedAt").GetDateTimeOffset()))
                .And.Contain($"<a href=\"{url}\"><img class=\"frame-thumb\" src=\"{url}\" alt=\"Frame {index}, plate {plate}\">"), cells);
        }

        Assert.That(listed.Select(f => f.GetProperty("claim").GetString()), Is.EqualTo(new[] { "Claimed", "Claimed", "Claimed", "Duplicate" }));
        Assert.That(rows[3].Groups[2].Value, Does.Contain("<span class=\"badge warn\">Duplicate</span>"));
        Assert.That(rows[0].Groups[2].Value, Does.Contain("<span class=\"badge ok\">Claimed</span>"));

        // Each frame's bytes, by record id and index, to the signed-in viewer.
        byte[][] sent = [.. frames, frames[0]];
        for (int i = 0; i < sent.Length; i++)
        {
            using var response = await _viewer.Http.GetAsync($"/captures/{id}/frames/{i}/image");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"frame {i}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(sent[i]), $"frame {i}");
        }

        using (var anonymous = DashboardClient.Anonymous(_server))
        using (var response = await anonymous.Http.GetAsync($"/captures/{id}/frames/0/image"))
        {
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Redirect, HttpStatusCode.Unauthorized));
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Not.EqualTo(frames[0]));
        }

        // No such frame, no such record, a single image's record (no frames), or a path: 404.
        foreach (string probe in new[] { $"{id}/frames/4", $"{id}/frames/-1", "does-not-exist/frames/0", $"{_preVerificationId}/frames/0", "..%2F..%2Focppauth.db/frames/0" })
        {
            using var response = await _viewer.Http.GetAsync($"/captures/{probe}/image");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), probe);
        }

        // A purged frame: 404, and the page says so instead of a thumbnail.
        var purged = (await _server.GetService<ICapturePassageStore>().ListFramesAsync(id, CancellationToken.None))[1];
        _server.GetService<ImageStore>().Delete(purged.ImagePath!);
        using (var response = await _viewer.Http.GetAsync($"/captures/{id}/frames/1/image"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        var afterPurge = FrameRowPattern().Matches(Section((await _viewer.GetPageAsync($"/decisions/{decisionId}")).Html, "factor-preverification"));
        Assert.That(afterPurge[1].Groups[2].Value, Does.Contain("purged").And.Not.Contain("<img"));
        Assert.That(afterPurge[2].Groups[2].Value, Does.Contain("<img"));
    }

    [Test]
    public async Task A_purged_image_answers_404_and_the_page_says_so()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "dppurge");
        var camera = await s.PostAsync("/api/cameras", new { id = "CAM-dppurge", stationId = s.StationId });
        string vin = LayeredScenario.NewVin(4111);
        await s.CreateVehicleAsync(vin, "RP34LAY", s.DriverId);
        byte[] jpeg;
        using (var fonts = PlateFonts.Load())
        {
            jpeg = new PlateSceneGenerator(fonts).Render("RP34LAY", PlateStyle.EuWhite, seed: 111).Jpeg;
        }

        var record = await _server.PostCaptureAsync("CAM-dppurge", camera.GetProperty("key").GetString()!, jpeg);
        Assume.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
        string id = record.GetProperty("id").GetString()!;
        await s.SendVinAsync(vin: vin);
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));
        long decisionId = (await s.LatestDecisionAsync()).GetProperty("id").GetInt64();

        // What the image retention does to an old image.
        var stored = await _server.GetService<IPreVerificationStore>().GetAsync(id, CancellationToken.None);
        _server.GetService<ImageStore>().Delete(stored!.ImagePath!);

        using (var response = await _viewer.Http.GetAsync($"/captures/{id}/image"))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        var (status, html) = await _viewer.GetPageAsync($"/decisions/{decisionId}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("The image was purged by the retention policy.").And.Not.Contain("id=\"pre-image\""));
        Assert.That(Section(html, "factor-preverification"), Does.Contain("RP34LAY"));
    }

    [Test]
    public async Task A_viewer_reads_every_decision_page_and_an_anonymous_visitor_is_sent_to_sign_in()
    {
        foreach (string path in new[] { "/decisions", "/decisions?refused=true", $"/decisions/{_acceptedId}", $"/decisions/{_refusedId}" })
        {
            var (status, html) = await _viewer.GetPageAsync(path);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(Regex.Matches(html, "method=\"post\"", RegexOptions.IgnoreCase), Has.Count.EqualTo(1), $"{path}: only the sign-out form");
        }

        using var anonymous = DashboardClient.Anonymous(_server);
        foreach (string path in new[] { "/decisions", $"/decisions/{_acceptedId}" })
        {
            var (status, _) = await anonymous.GetPageAsync(path);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Redirect), path);
        }
    }

    [Test]
    public async Task Every_filter_input_has_a_label_and_the_table_has_column_headers()
    {
        var (_, html) = await _viewer.GetPageAsync("/decisions");
        foreach (Match input in Regex.Matches(html, "<(?:input|select)[^>]*\\bid=\"([^\"]+)\"", RegexOptions.IgnoreCase))
        {
            Assert.That(html, Does.Contain($"<label for=\"{input.Groups[1].Value}\""), input.Value);
        }

        Assert.That(Regex.Matches(html, "<th scope=\"col\">"), Has.Count.EqualTo(8));
        Assert.That(html, Does.Contain("<option value=\"PreVerificationReplayed\">"), "the reason filter lists the reasons by name");
    }

    private sealed record Row(long Id, string Result, string Badge, string Reason, string Text, string Html);

    /// <summary>The rows of the decision table: id, result, badge colour, reason name and the row's text.</summary>
    private static List<Row> Rows(string html) =>
        RowPattern().Matches(html).Select(m =>
        {
            var badge = BadgePattern().Match(m.Groups[2].Value);
            var reason = ReasonPattern().Match(m.Groups[2].Value);
            string text = WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", " "));
            return new Row(long.Parse(m.Groups[1].Value), badge.Groups[2].Value, badge.Groups[1].Value, reason.Groups[1].Value, text, m.Groups[2].Value);
        }).ToList();

    /// <summary>One factor's box of the detail page.</summary>
    private static string Section(string html, string id)
    {
        int start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"section {id}");
        int end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return WebUtility.HtmlDecode(html[start..end]);
    }

    [GeneratedRegex("<tr data-decision-id=\"(\\d+)\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<span class=\"badge (ok|bad)\">(\\w+)</span>")]
    private static partial Regex BadgePattern();

    [GeneratedRegex("<td class=\"reason\"><a [^>]*>(\\w+)</a>")]
    private static partial Regex ReasonPattern();

    [GeneratedRegex("<a rel=\"next\" href=\"([^\"]+)\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("<tr data-frame-index=\"(\\d+)\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex FrameRowPattern();

    [GeneratedRegex("id=\"bio-similarity\">([0-9.]+) \\(threshold ([0-9.]+)\\)")]
    private static partial Regex SimilarityPattern();
}
