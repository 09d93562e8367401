using Microsoft.Playwright;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OcppServer.Tests.Dashboard;

/// <summary>The overview in a real browser: sign in through the form, watch a charger come on line without reloading.</summary>
public sealed class OverviewBrowserTests
{
    private TestServer _server = null!;
    private IBrowserContext _context = null!;
    private PageProblems _problems = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public async Task OpenContext()
    {
        _context = await Browser.NewContextAsync(_server.BaseUri);
    }

    [TearDown]
    public async Task CloseContext()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
            _context = null!;
        }
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _context.NewPageAsync();
        _problems = PageProblems.Watch(page);
        return page;
    }

    [Test]
    public async Task A_charger_that_connects_appears_on_line_on_the_open_overview_without_a_reload()
    {
        var page = await NewPageAsync();
        await DashboardBrowser.SignInAsync(page, _server, OperatorRole.Viewer);
        var online = page.Locator("#ov-online");
        int before = int.Parse(await online.InnerTextAsync());
        await Expect(page.Locator("#live-state")).ToHaveTextAsync("live");

        await using var charger = await _server.ConnectBootedAsync(TestIds.Next("OVERVIEW"));
        await Expect(online).ToHaveTextAsync((before + 1).ToString(), new() { Timeout = 20_000 });
        await Browser.ScreenshotAsync(page, "overview", fullPage: true);

        Assert.That(page.Url, Does.EndWith("/"), "no navigation: the stream updated the page");
        Assert.That(_problems.Seen, Is.Empty, "no script errors, no blocked resources");
    }

    [Test]
    public async Task The_login_page_is_usable_from_the_keyboard_alone()
    {
        await DashboardClient.CreateAccountAsync(_server, "keyboard-user", OperatorRole.Viewer);
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");

        // The user name has focus on arrival; Tab moves to the password, Enter sends the form.
        await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("keyboard-user");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(DashboardClient.DefaultPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();

        // The first Tab on a page reaches the skip link, which moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        Assert.That(_problems.Seen, Is.Empty);
    }

    [Test]
    public async Task A_wrong_password_keeps_the_browser_on_the_login_page_with_the_reason()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("User name").FillAsync("nobody-here");
        await page.GetByLabel("Password").FillAsync("wrong-password-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong user name or password");
        await Browser.ScreenshotAsync(page, "login");
    }
}
