using System.Net;
using System.Text.RegularExpressions;
using OcppServer.Operators;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// A browser-less dashboard session over real HTTP: an operator account of the given role (created through the
/// server's own <see cref="OperatorAccounts"/>), signed in through the login form with its cookie and antiforgery
/// token. Forms are posted the way a browser posts them: the page is fetched first and its antiforgery token sent back.
/// </summary>
public sealed partial class DashboardClient : IDisposable
{
    public const string DefaultPassword = "correct-horse-battery-9";

    private readonly HttpClient _http;

    private DashboardClient(TestServer server, string userName)
    {
        Server = server;
        UserName = userName;
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseUri };
    }

    public TestServer Server { get; }

    public string UserName { get; }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>Creates an account (<paramref name="role"/>, <see cref="DefaultPassword"/>) and signs it in.</summary>
    public static async Task<DashboardClient> SignInAsync(TestServer server, OperatorRole role = OperatorRole.Admin, string? userName = null)
    {
        userName ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..24];
        await CreateAccountAsync(server, userName, role);
        var client = new DashboardClient(server, userName);
        var response = await client.PostFormAsync("/account/login", new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = DefaultPassword,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "sign-in redirects to the dashboard");
        return client;
    }

    /// <summary>An account made through the server's own service (what `operator add` does).</summary>
    public static async Task CreateAccountAsync(TestServer server, string userName, OperatorRole role, string password = DefaultPassword)
    {
        var (account, problems) = await server.GetService<OperatorAccounts>().CreateAsync(userName, password, role, CancellationToken.None);
        Assert.That(account, Is.Not.Null, string.Join("; ", problems.Select(p => p.Message)));
    }

    /// <summary>An anonymous client (no account), e.g. to try the login form.</summary>
    public static DashboardClient Anonymous(TestServer server) => new(server, "");

    public async Task<(HttpStatusCode Status, string Html)> GetPageAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Posts a form as the browser would: fetches <paramref name="formPage"/> (default: the same path without the
    /// handler query) for its antiforgery token, then posts <paramref name="fields"/> with it.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields, string? formPage = null)
    {
        var (_, html) = await GetPageAsync(formPage ?? path.Split('?')[0]);
        var token = AntiforgeryToken(html);
        var content = new Dictionary<string, string>(fields);
        if (token is not null && !content.ContainsKey(TokenField))
        {
            content[TokenField] = token;
        }

        return await _http.PostAsync(path, new FormUrlEncodedContent(content));
    }

    /// <summary>Posts without any antiforgery token: the server must refuse it (400).</summary>
    public Task<HttpResponseMessage> PostFormWithoutTokenAsync(string path, IDictionary<string, string> fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields));

    public const string TokenField = "__RequestVerificationToken";

    public static string? AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    /// <summary>The text of the validation messages shown next to fields and in the summary.</summary>
    public static IReadOnlyList<string> ValidationMessages(string html) =>
        ErrorPattern().Matches(html).Select(m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", "")).Trim())
            .Where(s => s.Length > 0).ToList();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<(?:span|div)[^>]*class=\"[^\"]*(?:field-validation-error|validation-summary-errors)[^\"]*\"[^>]*>(.*?)</(?:span|div)>", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();

    public void Dispose() => _http.Dispose();
}
