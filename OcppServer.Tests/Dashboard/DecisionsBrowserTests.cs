using System.Net;
using System.Text.Json;
using ChargePointSimulator.Camera;
using Microsoft.Playwright;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OcppServer.Tests.Dashboard;

/// <summary>
/// The decision pages in a real browser (area dpages): a viewer signs in, watches a refusal and then an acceptance
/// appear in /decisions with their reasons in words, opens the acceptance and sees its three factors and the entrance
/// camera's image and the thumbnails of its burst's frames. The decisions are made over a real OCPP WebSocket; the frames
/// go through the real plate reader.
/// </summary>
public sealed class DecisionsBrowserTests
{
    private TestServer _server = null!;
    private IBrowserContext _context = null!;
    private PageProblems _problems = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TearDown]
    public async Task CloseContext()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
            _context = null!;
        }
    }

    [Test]
    public async Task A_viewer_watches_a_refusal_and_an_acceptance_and_opens_its_factors()
    {
        _context = await Browser.NewContextAsync(_server.BaseUri);
        var page = await _context.NewPageAsync();
        _problems = PageProblems.Watch(page);

        await using var s = await LayeredScenario.CreateAsync(_server, "dpbrw");
        string vin = LayeredScenario.NewVin(4101);
        await s.CreateVehicleAsync(vin, "KB47XRT", s.DriverId);
        var camera = await s.PostAsync("/api/cameras", new { id = "CAM-dpbrw", stationId = s.StationId });

        const string userName = "viewer-decisions";
        await DashboardClient.CreateAccountAsync(_server, userName, OperatorRole.Viewer);
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(DashboardClient.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Decisions", Exact = true }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Decisions", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Charge point").FillAsync(s.ChargePointId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var rows = page.Locator("#decisions-table tbody tr[data-decision-id]");
        await Expect(rows).ToHaveCountAsync(0);

        // The driver arrives with nothing presented: refused, and the page says why.
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Invalid"));
        await page.ReloadAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Invalid");
        await Expect(rows.First).ToContainTextAsync("The vehicle reported no VIN on this connector in its current session.");

        // The car passes the entrance camera, reports its VIN, the face is read: accepted, newest first.
        // The camera sends a burst: three frames of the passage, one record.
        byte[][] frames;
        using (var fonts = PlateFonts.Load())
        {
            var scenes = new PlateSceneGenerator(fonts);
            frames = [.. Enumerable.Range(101, 3).Select(seed => scenes.Render("KB47XRT", PlateStyle.EuWhite, seed).Jpeg)];
        }

        var record = await _server.PostBurstAsync("CAM-dpbrw", camera.GetProperty("key").GetString()!, frames);
        Assert.That(record.GetProperty("verdict").GetString(), Is.EqualTo("Passed"), record.ToString());
        await s.SendVinAsync(vin: vin);
        await s.SendTokenAsync(s.GenuineToken());
        Assert.That(await s.AuthorizeAsync(), Is.EqualTo("Accepted"));
        await page.ReloadAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First).ToContainTextAsync("Accepted");
        await Expect(rows.First).ToContainTextAsync("Every factor the station requires agreed on the same driver and vehicle.");
        await Expect(rows.Nth(1)).ToContainTextAsync("NoVinReported");
        await Browser.ScreenshotAsync(page, "decisions-list");

        // Refused only.
        await page.GetByLabel("Refused only").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("NoVinReported");
        await page.GoBackAsync();
        await Expect(rows).ToHaveCountAsync(2);

        // Open the acceptance: three factors passed, the plate read, the VIN, the similarity, the image itself.
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Accepted", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Decision");
        await Expect(page.Locator("#factor-preverification")).ToHaveClassAsync("factor ok");
        await Expect(page.Locator("#factor-vin")).ToHaveClassAsync("factor ok");
        await Expect(page.Locator("#factor-biometric")).ToHaveClassAsync("factor ok");
        await Expect(page.Locator("#pre-plate")).ToHaveTextAsync("KB47XRT");
        await Expect(page.Locator("#vin-value")).ToHaveTextAsync(vin);
        await Expect(page.Locator("#bio-similarity")).ToContainTextAsync("(threshold 0.800)");
        var image = page.Locator("#pre-image");
        await Expect(image).ToBeVisibleAsync();
        await Expect(image).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex("KB47XRT"));
        int width = await Eventually.UntilAsync(() => image.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"), w => w > 0,
            "the capture image loaded", TimeSpan.FromSeconds(15));
        Assert.That(width, Is.GreaterThan(0));

        // The burst's frames, each with a thumbnail that loads.
        var thumbnails = page.GetByRole(AriaRole.Table, new() { Name = "Frames of this passage" }).Locator("img.frame-thumb");
        await Expect(thumbnails).ToHaveCountAsync(frames.Length);
        for (int i = 0; i < frames.Length; i++)
        {
            var thumbnail = thumbnails.Nth(i);
            await Expect(thumbnail).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex($"^Frame {i}, plate "));
            int thumbnailWidth = await Eventually.UntilAsync(() => thumbnail.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"), w => w > 0,
                $"frame {i}'s thumbnail loaded", TimeSpan.FromSeconds(15));
            Assert.That(thumbnailWidth, Is.GreaterThan(0));
        }

        await Browser.ScreenshotAsync(page, "decision-detail", fullPage: true);

        Assert.That(_problems.Seen, Is.Empty, "script errors or content security policy violations");
    }
}
