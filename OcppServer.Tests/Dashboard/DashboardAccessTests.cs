using System.Net;
using System.Text.Json;
using OcppServer.Dashboard;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Dashboard;

/// <summary>
/// The dashboard's door: sign-in with lockout, roles, antiforgery, security stamps, the audit log of people and API
/// keys, the first admin, and the live overview stream. Real server, real HTTP with cookies.
/// </summary>
public sealed class DashboardAccessTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Dashboard:MaxFailedSignIns"] = "3",
        ["Dashboard:LockoutMinutes"] = "10",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static Dictionary<string, string> Login(string user, string password) => new() { ["UserName"] = user, ["Password"] = password };

    private async Task<IReadOnlyList<AuditEntry>> AuditOfAsync(string target) =>
        (await _server.GetService<AuditTrail>().ListAsync(null, 100, null, target, CancellationToken.None)).Entries;

    [Test]
    public async Task The_root_url_leads_an_anonymous_browser_to_the_login_page()
    {
        using var client = DashboardClient.Anonymous(_server);
        var (status, _) = await client.GetPageAsync("/");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Redirect));
        using var response = await client.Http.GetAsync("/");
        Assert.That(response.Headers.Location?.OriginalString, Does.Contain("/account/login"));

        var (loginStatus, html) = await client.GetPageAsync("/account/login");
        Assert.That(loginStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<label for=\"UserName\">User name</label>"));
        Assert.That(DashboardClient.AntiforgeryToken(html), Is.Not.Null, "the login form carries an antiforgery token");
    }

    [Test]
    public async Task Pages_and_the_live_stream_need_a_session()
    {
        using var client = DashboardClient.Anonymous(_server);
        foreach (string path in (string[])["/audit", "/accounts"])
        {
            using var response = await client.Http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), path);
            Assert.That(response.Headers.Location?.OriginalString, Does.Contain("/account/login"), path);
        }

        // The stream is no page: 401, not a redirect to a form.
        using var stream = await client.Http.GetAsync("/live/overview", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(stream.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_right_password_signs_in_and_a_wrong_one_is_refused_in_the_same_words_as_an_unknown_user()
    {
        string user = TestIds.Next("alice").ToLowerInvariant();
        await DashboardClient.CreateAccountAsync(_server, user, OperatorRole.Viewer);
        using var client = DashboardClient.Anonymous(_server);

        using var wrong = await client.PostFormAsync("/account/login", Login(user, "not-the-password-1"));
        string wrongHtml = await wrong.Content.ReadAsStringAsync();
        using var unknown = await client.PostFormAsync("/account/login", Login("nobody-" + user, "not-the-password-1"));
        string unknownHtml = await unknown.Content.ReadAsStringAsync();
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(DashboardClient.ValidationMessages(wrongHtml), Does.Contain(OcppServer.Dashboard.Pages.Account.LoginModel.Refused));
        Assert.That(DashboardClient.ValidationMessages(unknownHtml), Is.EqualTo(DashboardClient.ValidationMessages(wrongHtml)),
            "an unknown user and a wrong password read the same");
        Assert.That(wrongHtml, Does.Not.Contain("not-the-password-1"), "the password is not sent back");

        using var right = await client.PostFormAsync("/account/login", Login(user, DashboardClient.DefaultPassword));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var (status, overview) = await client.GetPageAsync("/");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(overview, Does.Contain("<h1>Overview</h1>").And.Contain(user));

        var audit = await AuditOfAsync(user);
        Assert.That(audit.Select(a => (a.Action, a.Outcome)), Does.Contain(("sign-in", "ok")).And.Contain(("sign-in", "refused: wrong password")));
    }

    [Test]
    public async Task Failed_sign_ins_lock_the_account_until_the_lockout_ends()
    {
        string user = TestIds.Next("bob").ToLowerInvariant();
        await DashboardClient.CreateAccountAsync(_server, user, OperatorRole.Operator);
        using var client = DashboardClient.Anonymous(_server);
        for (int i = 0; i < 3; i++)
        {
            using var _ = await client.PostFormAsync("/account/login", Login(user, "wrong-password-" + i));
        }

        using (var locked = await client.PostFormAsync("/account/login", Login(user, DashboardClient.DefaultPassword)))
        {
            Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the right password is refused while locked");
            Assert.That(DashboardClient.ValidationMessages(await locked.Content.ReadAsStringAsync()),
                Does.Contain(OcppServer.Dashboard.Pages.Account.LoginModel.Refused));
        }

        Assert.That((await AuditOfAsync(user)).Select(a => a.Outcome), Has.Some.StartsWith("refused: locked until"));

        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        using var after = await client.PostFormAsync("/account/login", Login(user, DashboardClient.DefaultPassword));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signs in once the lockout is over");
    }

    [Test]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused()
    {
        using var admin = await DashboardClient.SignInAsync(_server, OperatorRole.Admin);
        string user = TestIds.Next("forged").ToLowerInvariant();
        using var response = await admin.PostFormWithoutTokenAsync("/accounts?handler=Create", new Dictionary<string, string>
        {
            ["Input.UserName"] = user, ["Input.Password"] = "long-enough-password-1", ["Input.Role"] = "admin",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _server.GetService<IOperatorAccountStore>().FindByUserNameAsync(user, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_viewer_reads_but_cannot_change_anything()
    {
        using var viewer = await DashboardClient.SignInAsync(_server, OperatorRole.Viewer);
        Assert.That((await viewer.GetPageAsync("/audit")).Status, Is.EqualTo(HttpStatusCode.OK));

        using var page = await viewer.Http.GetAsync("/accounts");
        Assert.That(page.Headers.Location?.OriginalString, Does.Contain("/account/denied"), "accounts are for admins");

        string user = TestIds.Next("sneaky").ToLowerInvariant();
        using var post = await viewer.PostFormAsync("/accounts?handler=Create", new Dictionary<string, string>
        {
            ["Input.UserName"] = user, ["Input.Password"] = "long-enough-password-1", ["Input.Role"] = "admin",
        }, formPage: "/audit");
        Assert.That(post.StatusCode, Is.AnyOf(HttpStatusCode.Redirect, HttpStatusCode.Forbidden));
        Assert.That(post.Headers.Location?.OriginalString ?? "/account/denied", Does.Contain("/account/denied"));
        Assert.That(await _server.GetService<IOperatorAccountStore>().FindByUserNameAsync(user, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task An_admin_creates_an_account_with_errors_next_to_the_fields_for_bad_input()
    {
        using var admin = await DashboardClient.SignInAsync(_server, OperatorRole.Admin);
        using var bad = await admin.PostFormAsync("/accounts?handler=Create", new Dictionary<string, string>
        {
            ["Input.UserName"] = "bad name!", ["Input.Password"] = "short", ["Input.Role"] = "admin",
        });
        string html = await bad.Content.ReadAsStringAsync();
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Match("data-valmsg-for=\"Input.UserName\"[^>]*>The user name is 1 to 64 characters"));
        Assert.That(html, Does.Match("data-valmsg-for=\"Input.Password\"[^>]*>The password is 12 to 256 characters"));

        string user = TestIds.Next("carol").ToLowerInvariant();
        using var good = await admin.PostFormAsync("/accounts?handler=Create", new Dictionary<string, string>
        {
            ["Input.UserName"] = user, ["Input.Password"] = "a-long-enough-password", ["Input.Role"] = "operator",
        });
        Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var created = await _server.GetService<IOperatorAccountStore>().FindByUserNameAsync(user, CancellationToken.None);
        Assert.That(created?.Role, Is.EqualTo(OperatorRole.Operator));
        Assert.That(created!.PasswordHash, Does.Not.Contain("a-long-enough-password"));
        var audit = await AuditOfAsync(user);
        Assert.That(audit.Select(a => (a.Actor, a.Action, a.Outcome)), Does.Contain(("operator:" + admin.UserName, "account.create", "ok")));
        Assert.That(audit.Select(a => a.Detail ?? ""), Has.None.Contain("a-long-enough-password"), "no password in the audit log");
    }

    [Test]
    public async Task Changing_an_accounts_role_ends_its_open_session()
    {
        using var admin = await DashboardClient.SignInAsync(_server, OperatorRole.Admin);
        using var operatorSession = await DashboardClient.SignInAsync(_server, OperatorRole.Operator);
        Assert.That((await operatorSession.GetPageAsync("/")).Status, Is.EqualTo(HttpStatusCode.OK));
        var account = await _server.GetService<IOperatorAccountStore>().FindByUserNameAsync(operatorSession.UserName, CancellationToken.None);

        using var change = await admin.PostFormAsync("/accounts?handler=Role", new Dictionary<string, string> { ["id"] = account!.Id, ["role"] = "viewer" });
        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));

        using var next = await operatorSession.Http.GetAsync("/");
        Assert.That(next.Headers.Location?.OriginalString, Does.Contain("/account/login"), "the old cookie carries the old stamp");
    }

    [Test]
    public async Task The_last_admin_cannot_be_demoted_or_disabled()
    {
        // A server of its own: exactly one admin.
        await using var server = await TestServer.StartAsync();
        using var admin = await DashboardClient.SignInAsync(server, OperatorRole.Admin);
        var account = await server.GetService<IOperatorAccountStore>().FindByUserNameAsync(admin.UserName, CancellationToken.None);

        using var demote = await admin.PostFormAsync("/accounts?handler=Role", new Dictionary<string, string> { ["id"] = account!.Id, ["role"] = "viewer" });
        Assert.That(DashboardClient.ValidationMessages(await demote.Content.ReadAsStringAsync()), Has.Some.Contains("last admin"));
        using var disable = await admin.PostFormAsync("/accounts?handler=Disable", new Dictionary<string, string> { ["id"] = account.Id });
        Assert.That(DashboardClient.ValidationMessages(await disable.Content.ReadAsStringAsync()), Has.Some.Contains("last enabled admin"));
        var after = await server.GetService<IOperatorAccountStore>().GetAsync(account.Id, CancellationToken.None);
        Assert.That((after!.Role, after.Disabled), Is.EqualTo((OperatorRole.Admin, false)));
    }

    [Test]
    public async Task Every_change_through_an_api_key_is_audited_with_the_keys_position_and_the_id_it_made()
    {
        string tag = TestIds.Next("AUD");
        (await _server.PostAsync("/api/idtags", new { idTag = tag })).AssertStatus(HttpStatusCode.Created);
        (await _server.PostAsync($"/api/idtags/{tag}/block")).AssertStatus(HttpStatusCode.OK);
        (await _server.GetAsync($"/api/idtags/{tag}")).AssertStatus(HttpStatusCode.OK);

        var audit = await AuditOfAsync(tag);
        Assert.That(audit.Select(a => (a.Actor, a.Action, a.Outcome)), Is.EquivalentTo(new[]
        {
            ("api-key:0", "POST /api/idtags/", "ok"),
            ("api-key:0", "POST /api/idtags/{idTag}/block", "ok"),
        }), "creates and changes, not reads");
    }

    [Test]
    public async Task The_overview_streams_live_snapshots_to_a_signed_in_browser()
    {
        using var viewer = await DashboardClient.SignInAsync(_server, OperatorRole.Viewer);
        await using var charger = await _server.ConnectBootedAsync(TestIds.Next("LIVE"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/live/overview");
        using var response = await viewer.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? eventLine = await reader.ReadLineAsync();
        string? dataLine = await reader.ReadLineAsync();
        Assert.That(eventLine, Is.EqualTo("event: overview"));
        using var snapshot = JsonDocument.Parse(dataLine!["data: ".Length..]);
        Assert.That(snapshot.RootElement.GetProperty("online").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(snapshot.RootElement.GetProperty("registered").GetInt32(),
            Is.GreaterThanOrEqualTo(snapshot.RootElement.GetProperty("online").GetInt32()));
    }

    [Test]
    public async Task Dashboard_pages_carry_a_strict_content_security_policy()
    {
        using var client = DashboardClient.Anonymous(_server);
        using var response = await client.Http.GetAsync("/account/login");
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(DashboardPageFilter.ContentSecurityPolicy));
        Assert.That(DashboardPageFilter.ContentSecurityPolicy, Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline"));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        using var css = await client.Http.GetAsync("/assets/dashboard.css");
        Assert.That(css.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the stylesheet is served without a session");
    }
}
