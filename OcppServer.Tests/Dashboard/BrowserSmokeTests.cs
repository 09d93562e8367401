using System.Collections.Concurrent;
using Microsoft.Playwright;
using OcppServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OcppServer.Tests.Dashboard;

/// <summary>
/// The browser plumbing (<see cref="Browser"/>) against the real server: a page that runs script (the API reference at
/// /scalar renders the OpenAPI document in the browser) and a plain JSON one (/healthz). Every request the pages make
/// goes to the server itself.
/// </summary>
public sealed class BrowserSmokeTests
{
    private TestServer _server = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public async Task OpenPage()
    {
        _requests.Clear();
        _pageErrors.Clear();
        _context = await Browser.NewContextAsync(_server.BaseUri);
        _context.Request += (_, request) => _requests.Enqueue(request.Url);
        _page = await _context.NewPageAsync();
        _page.PageError += (_, error) => _pageErrors.Enqueue(error);
    }

    [TearDown]
    public async Task ClosePage()
    {
        // Null when the test was ignored for want of a browser, before the context existed.
        if (_context is not null)
        {
            await _context.DisposeAsync();
            _context = null!;
        }
    }

    [Test]
    public async Task The_API_reference_renders_the_OpenAPI_document()
    {
        var response = await _page.GotoAsync("/scalar");
        Assert.That(response?.Status, Is.EqualTo(200));

        // Scalar's script fetched /openapi/v1.json and rendered it: the title, an operation, the key the calls need.
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "OcppAuth back-office API", Level = 1 })).ToBeVisibleAsync();
        await Expect(_page.GetByText("Liveness: the process answers (no key)").First).ToBeAttachedAsync();
        await Expect(_page).ToHaveTitleAsync("OcppAuth back-office API");
        await Browser.ScreenshotAsync(_page, "api-reference");

        Assert.That(_pageErrors, Is.Empty, "script errors on the page");
        Assert.That(_requests, Has.Some.EndsWith("/openapi/v1.json"));
        Assert.That(_requests, Has.All.StartsWith(_server.BaseUri.GetLeftPart(UriPartial.Authority) + "/").Or.StartsWith("data:"),
            "every request of the page goes to the server itself");
    }

    [Test]
    public async Task The_health_check_answers_in_the_browser()
    {
        var response = await _page.GotoAsync("/healthz");
        Assert.That(response?.Status, Is.EqualTo(200));
        await Expect(_page.Locator("body")).ToContainTextAsync("\"status\":\"ok\"");
        await Browser.ScreenshotAsync(_page, "healthz");
    }
}
