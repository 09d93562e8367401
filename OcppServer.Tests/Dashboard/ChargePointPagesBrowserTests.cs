using Microsoft.Playwright;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OcppServer.Tests.Dashboard;

/// <summary>
/// The charge point pages in a real browser: an operator signs in, finds the simulated charger on line, opens it,
/// sends a command the charger answers, and reads the answer, with no script error and no content security policy
/// violation on the way.
/// </summary>
public sealed class ChargePointPagesBrowserTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task An_operator_finds_the_charger_on_line_and_reads_its_answer_to_a_command()
    {
        string userName = "op-" + Guid.NewGuid().ToString("N")[..8];
        await DashboardClient.CreateAccountAsync(_server, userName, OperatorRole.Operator);
        string id = TestIds.Next("CPB");
        await using var charger = await _server.ConnectBootedAsync(id);
        await charger.CallResultAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });

        await using var context = await Browser.NewContextAsync(_server.BaseUri);
        var page = await context.NewPageAsync();
        var problems = PageProblems.Watch(page);

        await page.GotoAsync("/account/login");
        await page.Locator("input[name=UserName]").FillAsync(userName);
        await page.Locator("input[name=Password]").FillAsync(DashboardClient.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        problems.Clear(); // what the sign-in and overview pages log is theirs: from here on, these pages'

        await page.GetByRole(AriaRole.Link, new() { Name = "Charge points", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Charge points", Level = 1 })).ToBeVisibleAsync();
        var row = page.Locator($"tr[data-id='{id}']");
        await Expect(row.Locator(".cp-state")).ToHaveTextAsync("on line");
        await Browser.ScreenshotAsync(page, "chargepoints");

        await row.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Charge point {id}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#cp-connectors")).ToContainTextAsync("Available");

        // The charger answers the CALL the form causes while the browser waits for the page.
        var answered = Task.Run(async () =>
        {
            var call = await charger.NextServerCallAsync(TimeSpan.FromSeconds(30));
            await charger.RespondAsync(call, new
            {
                configurationKey = new object[] { new { key = "HeartbeatInterval", @readonly = false, value = "300" } },
            });
            return call;
        });
        await page.GetByLabel("Keys").FillAsync("HeartbeatInterval");
        await page.GetByRole(AriaRole.Button, new() { Name = "Get", Exact = true }).ClickAsync();

        var answer = page.Locator("#command-answer");
        await Expect(answer).ToContainTextAsync("GetConfiguration: the charger answered");
        await Expect(page.Locator("#answer-configuration")).ToContainTextAsync("HeartbeatInterval");
        await Expect(page.Locator("#answer-configuration")).ToContainTextAsync("300");
        var call = await answered;
        Assert.That(call.Action, Is.EqualTo("GetConfiguration"));
        await Browser.ScreenshotAsync(page, "chargepoint-command-answer", fullPage: true);

        // A session with meter values: the list links it, its page draws the chart (inline SVG, no script).
        await _server.CreateIdTagAsync("BROWSER-TAG");
        int tx = (await charger.CallResultAsync("StartTransaction", new { connectorId = 1, idTag = "BROWSER-TAG", meterStart = 1000, timestamp = "2030-01-01T10:00:00.000Z" }))
            .GetProperty("transactionId").GetInt32();
        await charger.CallResultAsync("MeterValues", new
        {
            connectorId = 1, transactionId = tx,
            meterValue = new object[]
            {
                new { timestamp = "2030-01-01T10:10:00.000Z", sampledValue = new object[] { new { value = "2800" }, new { value = "11000", measurand = "Power.Active.Import", unit = "W" } } },
                new { timestamp = "2030-01-01T10:20:00.000Z", sampledValue = new object[] { new { value = "4600" }, new { value = "10400", measurand = "Power.Active.Import", unit = "W" } } },
                new { timestamp = "2030-01-01T10:30:00.000Z", sampledValue = new object[] { new { value = "5900" }, new { value = "7200", measurand = "Power.Active.Import", unit = "W" } } },
            },
        });
        await page.GetByRole(AriaRole.Link, new() { Name = "Sessions", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = tx.ToString(System.Globalization.CultureInfo.InvariantCulture), Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"Energy and power of session {tx}" })).ToBeVisibleAsync();
        await Expect(page.Locator("#meter-chart polyline.energy")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(page, "session-meter-chart", fullPage: true);

        Assert.That(problems.Seen, Is.Empty, "script errors or content security policy violations");
    }
}
