using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OcppServer.Tests.Dashboard;

/// <summary>
/// The registry's main flow in a real browser: an operator signs in, creates a driver, enrols their face template from
/// a file and registers their vehicle; at the attendant page the plate is entered and the verdict shown. No page
/// breaks the content security policy or throws.
/// </summary>
public sealed partial class RegistryBrowserTests
{
    private TestServer _server = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private PageProblems _problems = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public async Task OpenPage()
    {
        _context = await Browser.NewContextAsync(_server.BaseUri);
        _page = await _context.NewPageAsync();
        _problems = PageProblems.Watch(_page);
    }

    [TearDown]
    public async Task ClosePage()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
            _context = null!;
        }
    }

    [Test]
    public async Task An_operator_enrols_a_driver_with_a_template_file_and_a_vehicle_and_the_attendant_sees_the_verdict()
    {
        string station = "ST-BROWSER";
        await _server.CreateStationAsync(station, layered: true);
        await DashboardBrowser.SignInAsync(_page, _server, OperatorRole.Operator);

        // A driver with an id tag.
        await _page.GotoAsync("/registry/drivers");
        await _page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ada Lovelace");
        await _page.GetByLabel("Id tags (RFID cards)").FillAsync("ADA-CARD-1");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Create driver" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Ada Lovelace", Level = 1 })).ToBeVisibleAsync();
        await Expect(_page.Locator("#driver-templates")).ToHaveTextAsync("0 enrolled");
        string driverId = DriverId().Match(_page.Url).Groups[1].Value;

        // Their face template, from a JSON file.
        var random = new Random(7);
        string json = "[" + string.Join(",", Enumerable.Range(0, 128).Select(_ => (random.NextDouble() * 2 - 1).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture))) + "]";
        await _page.GetByLabel("Template file").SetInputFilesAsync(new FilePayload
        {
            Name = "ada-face.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(json),
        });
        await _page.GetByRole(AriaRole.Button, new() { Name = "Enrol template" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync("Face template enrolled.");
        await Expect(_page.Locator("#driver-templates")).ToHaveTextAsync("1 enrolled");
        await Browser.ScreenshotAsync(_page, "registry-driver", fullPage: true);

        // A file that is no template is refused next to the field.
        await _page.GetByLabel("Template file").SetInputFilesAsync(new FilePayload
        {
            Name = "notes.json", MimeType = "application/json", Buffer = "[1, 2, 3]"u8.ToArray(),
        });
        await _page.GetByRole(AriaRole.Button, new() { Name = "Enrol template" }).ClickAsync();
        await Expect(_page.Locator("#template-error")).ToContainTextAsync("template must be base64 of 128 finite little-endian float32 values");
        await Expect(_page.Locator("#driver-templates")).ToHaveTextAsync("1 enrolled");

        // Their vehicle.
        string plate = LayeredScenario.UkPlate(11), vin = LayeredScenario.NewVin(11);
        await _page.GotoAsync("/registry/vehicles");
        await _page.GetByLabel("Plate", new() { Exact = true }).FillAsync(plate);
        await _page.GetByLabel("VIN (17 characters, ISO 3779)").FillAsync(vin);
        await _page.GetByLabel("Owner (driver id").FillAsync(driverId);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Register vehicle" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Vehicle {plate} registered.");
        var row = _page.Locator("#vehicles-table tbody tr", new() { HasText = plate });
        await Expect(row).ToContainTextAsync(vin);
        await Expect(row).ToContainTextAsync("Ada Lovelace");

        // The drivers list shows her with her id tag and template.
        await _page.GotoAsync("/registry/drivers");
        var driverRow = _page.Locator("#drivers-table tbody tr", new() { HasText = "Ada Lovelace" });
        await Expect(driverRow).ToContainTextAsync("ADA-CARD-1");
        await Expect(driverRow.Locator("td.num")).ToHaveTextAsync("1");

        // The attendant types the plate the camera could not read.
        await _page.GotoAsync("/attendant");
        await _page.GetByLabel("Station").SelectOptionAsync(station);
        await _page.GetByLabel("Plate").FillAsync(plate.ToLowerInvariant());
        await _page.GetByLabel("Note (optional").FillAsync("camera fogged");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Check plate" }).ClickAsync();
        var verdict = _page.Locator("#attendant-verdict");
        await Expect(verdict).ToContainTextAsync("registered vehicle");
        await Expect(verdict).ToContainTextAsync(vin);
        await Expect(verdict).ToContainTextAsync("Ada Lovelace");
        await Expect(_page.GetByLabel("Station")).ToHaveValueAsync(station);
        await Browser.ScreenshotAsync(_page, "attendant-verdict", fullPage: true);

        await _page.GetByLabel("Plate").FillAsync("ZZ99ZZZ");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Check plate" }).ClickAsync();
        await Expect(verdict).ToContainTextAsync("not registered");

        // Every other registry page renders without breaking the content security policy.
        foreach (string path in (string[])["/registry", "/registry/stations", $"/registry/stations/{station}", "/registry/cameras", "/registry/readers", "/registry/idtags"])
        {
            var response = await _page.GotoAsync(path);
            Assert.That(response?.Status, Is.EqualTo(200), path);
            await Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        }

        Assert.That(_problems.Seen, Is.Empty, string.Join("\n", _problems.Seen));
    }

    [GeneratedRegex("/registry/drivers/(drv_[0-9a-f]+)")]
    private static partial Regex DriverId();
}
