using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// What went wrong in a browser page while a test drove it: script errors, console errors (a content security policy
/// violation is reported there) and answers of 400 or more (with their address). A dashboard test ends with none.
/// </summary>
public sealed class PageProblems
{
    private readonly ConcurrentQueue<string> _seen = new();

    private PageProblems()
    {
    }

    public static PageProblems Watch(IPage page)
    {
        var problems = new PageProblems();
        page.PageError += (_, error) => problems._seen.Enqueue($"script error on {page.Url}: {error}");
        page.Console += (_, message) =>
        {
            // A failed load is reported below, with its address.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                problems._seen.Enqueue($"console on {page.Url}: {message.Text} at {message.Location}");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems._seen.Enqueue($"HTTP {response.Status} for {response.Url}");
            }
        };
        return problems;
    }

    public IReadOnlyCollection<string> Seen => _seen.ToArray();

    public void Clear() => _seen.Clear();
}
