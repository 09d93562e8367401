using System.Diagnostics;
using Microsoft.Playwright;

namespace OcppServer.Benchmarks;

/// <summary>
/// <c>dashboard-viewer</c>: a real headless browser (Debian's chromium through Playwright) signed in to the dashboard
/// and left on the overview, its live stream open, for as long as asked: what an operator's screen costs the server
/// while the load benchmarks run (scripts/bench-dashboard.sh). Prints how many live updates the page received.
/// </summary>
internal static class DashboardViewer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string url = "http://127.0.0.1:8180", user = "", password = "", chromium = Environment.GetEnvironmentVariable("OCPPAUTH_CHROMIUM") ?? "/usr/bin/chromium";
        int seconds = 60, pages = 1;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = value; break;
                case "--user": user = value; break;
                case "--password": password = value; break;
                case "--seconds": seconds = int.Parse(value); break;
                case "--pages": pages = int.Parse(value); break;
                case "--chromium": chromium = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }

            i++;
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url });
        var first = await context.NewPageAsync();
        await first.GotoAsync("/account/login");
        await first.GetByLabel("User name").FillAsync(user);
        await first.GetByLabel("Password").FillAsync(password);
        await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await first.GetByRole(AriaRole.Heading, new() { Name = "Overview" }).WaitForAsync();

        var all = new List<IPage> { first };
        for (int i = 1; i < pages; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            all.Add(page);
        }

        // Count the live updates each page applies: the time stamp it shows changes with every snapshot.
        foreach (var page in all)
        {
            await page.EvaluateAsync("""
                () => { window.__updates = 0; new MutationObserver(() => window.__updates++)
                    .observe(document.getElementById('live-time'), { childList: true, characterData: true, subtree: true }); }
                """);
        }

        Console.WriteLine($"dashboard-viewer: {pages} overview page(s) open at {url}, watching for {seconds} s (or until SIGTERM)");
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // the time is up, or the benchmark script said stop: report what was seen
        }

        long updates = 0;
        foreach (var page in all)
        {
            updates += await page.EvaluateAsync<long>("() => window.__updates");
        }

        Console.WriteLine($"dashboard-viewer: {updates} live updates in {watch.Elapsed.TotalSeconds:F0} s over {pages} page(s)");
        return updates > 0 ? 0 : 1;
    }
}
