using System.Diagnostics;
using Microsoft.Playwright;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the whole test run, started by the first test that asks for it (Playwright's driver, the
/// node program the package copies to the test output's <c>.playwright/</c>, drives it) and closed by
/// <see cref="TestRun"/> when the run ends. Each test takes a fresh <see cref="IBrowserContext"/> (its own
/// cookies and storage) from <see cref="NewContextAsync"/> and disposes it.
/// <para>
/// The browser is the machine's Chromium, never one Playwright downloads (<c>playwright install</c> is not used): the
/// executable named by <see cref="ExecutableVariable"/>, else Debian's <c>/usr/bin/chromium</c> (what
/// <c>scripts/setup-test-services.sh</c> installs), else <c>/usr/bin/chromium-browser</c>. Without one a browser test
/// is ignored, saying how to install it, except under CI (<c>CI=true</c>), where it fails: CI never skips them silently.
/// </para>
/// </summary>
public static class Browser
{
    /// <summary>The Chromium executable to use instead of the usual places.</summary>
    public const string ExecutableVariable = "OCPPAUTH_CHROMIUM";

    /// <summary>A folder: <see cref="ScreenshotAsync"/> writes its PNGs there; unset, it writes none.</summary>
    public const string ScreenshotsVariable = "OCPPAUTH_SCREENSHOTS";

    private static readonly string[] UsualExecutables = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    /// <summary>
    /// <c>--no-sandbox</c>: Chromium refuses to start as root with its sandbox on ("Running as root without --no-sandbox is
    /// not supported"), and a container seldom allows the user namespaces the sandbox needs; the pages are the tests' own
    /// server's. (Playwright adds it too while <see cref="BrowserTypeLaunchOptions.ChromiumSandbox"/> is off, its default:
    /// said here so that it stays when that changes.) <c>--disable-dev-shm-usage</c>: shared memory files go to /tmp, since
    /// a container's /dev/shm is often 64 MB, too small for a renderer.
    /// </summary>
    private static readonly string[] Arguments = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"];

    private static readonly Lock Gate = new();
    private static Task<(IPlaywright Playwright, IBrowser Browser)>? _started;

    /// <summary>The Chromium this run uses, or null when there is none.</summary>
    public static string? FindExecutable()
    {
        string? configured = Environment.GetEnvironmentVariable(ExecutableVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // A path that is set but wrong is a mistake to report, not a reason to look elsewhere.
            return File.Exists(configured) ? configured : null;
        }

        return UsualExecutables.FirstOrDefault(File.Exists);
    }

    /// <summary>The run's browser, started on first use; ignores (or, under CI, fails) the calling test without Chromium.</summary>
    public static async Task<IBrowser> GetAsync()
    {
        string executable = FindExecutable() ?? Unavailable();
        Task<(IPlaywright Playwright, IBrowser Browser)> started;
        lock (Gate)
        {
            started = _started ??= LaunchAsync(executable);
        }

        return (await started).Browser;
    }

    /// <summary>
    /// A fresh context (cookies, storage, viewport 1280×800) whose relative URLs resolve against <paramref name="baseUri"/>;
    /// dispose it at the end of the test (<c>await using</c>).
    /// </summary>
    public static async Task<IBrowserContext> NewContextAsync(Uri baseUri, BrowserNewContextOptions? options = null)
    {
        var browser = await GetAsync();
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseUri.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 800 };
        options.Locale ??= "en-US";
        options.TimezoneId ??= "UTC";
        var context = await browser.NewContextAsync(options);
        // Generous on a shared two-core machine; a test that waits this long has failed anyway.
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    /// <summary>
    /// Writes a PNG of <paramref name="page"/> (what the viewport shows, or the whole page with <paramref name="fullPage"/>) as <c>&lt;name&gt;.png</c> into the folder named by
    /// <see cref="ScreenshotsVariable"/> (how the docs' screenshots are regenerated from the UI tests); does nothing
    /// when it is unset. Returns the file written, or null.
    /// </summary>
    public static async Task<string?> ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        string? folder = Environment.GetEnvironmentVariable(ScreenshotsVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) >= 0 || name.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' is not a plain file name (without .png)", nameof(name));
        }

        Directory.CreateDirectory(folder);
        string path = Path.Combine(Path.GetFullPath(folder), name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        TestContext.Out.WriteLine($"Screenshot: {path}");
        return path;
    }

    /// <summary>Closes the browser and the driver, if they were started; <see cref="TestRun"/> calls it.</summary>
    public static async Task ShutdownAsync()
    {
        Task<(IPlaywright Playwright, IBrowser Browser)>? started;
        lock (Gate)
        {
            started = _started;
            _started = null;
        }

        if (started is null || !started.IsCompletedSuccessfully)
        {
            return;
        }

        var (playwright, browser) = started.Result;
        await browser.CloseAsync();
        playwright.Dispose();
    }

    private static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(string executable)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    private static string Unavailable()
    {
        string configured = Environment.GetEnvironmentVariable(ExecutableVariable) ?? "";
        string message = configured.Length > 0
            ? $"{ExecutableVariable}={configured}: no such file."
            : $"No Chromium found ({string.Join(", ", UsualExecutables)}; or set {ExecutableVariable}).";
        message += " Install Debian's: sudo apt-get install -y --no-install-recommends chromium (or run scripts/setup-test-services.sh).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true, so the browser tests must run: " + message);
        }

        Assert.Ignore(message);
        throw new UnreachableException();
    }
}
