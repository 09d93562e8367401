using Microsoft.Playwright;
using OcppServer.Operators;
using static Microsoft.Playwright.Assertions;

namespace OcppServer.Tests.Infrastructure;

/// <summary>Signs a real browser in to the dashboard through its login form, as a person would.</summary>
public static class DashboardBrowser
{
    /// <summary>
    /// Creates an account of <paramref name="role"/>, opens <c>/</c> (which leads to the login page), types the name and
    /// password, presses Sign in, and waits for the overview. Returns the account's user name.
    /// </summary>
    public static async Task<string> SignInAsync(IPage page, TestServer server, OperatorRole role = OperatorRole.Admin)
    {
        string userName = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..24];
        await DashboardClient.CreateAccountAsync(server, userName, role);
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(DashboardClient.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        return userName;
    }
}
