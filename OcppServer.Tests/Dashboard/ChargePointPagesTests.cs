using System.Net;
using System.Text.RegularExpressions;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Dashboard;

/// <summary>/chargepoints and /chargepoints/{id} over real HTTP, with simulated chargers on the same server.</summary>
public sealed partial class ChargePointPagesTests
{
    private TestServer _server = null!;
    private DashboardClient _admin = null!;
    private DashboardClient _operator = null!;
    private DashboardClient _viewer = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartAsync();
        _admin = await DashboardClient.SignInAsync(_server, OperatorRole.Admin);
        _operator = await DashboardClient.SignInAsync(_server, OperatorRole.Operator);
        _viewer = await DashboardClient.SignInAsync(_server, OperatorRole.Viewer);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _admin.Dispose();
        _operator.Dispose();
        _viewer.Dispose();
        await _server.DisposeAsync();
    }

    private static string Row(string html, string id)
    {
        var match = Regex.Match(html, $"<tr data-id=\"{Regex.Escape(id)}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"no row for {id}");
        return match.Groups[1].Value;
    }

    private static bool HasRow(string html, string id) => html.Contains($"<tr data-id=\"{id}\">", StringComparison.Ordinal);

    private static string Command(string id) => $"/chargepoints/{Uri.EscapeDataString(id)}?handler=Command";

    private async Task<int> CommandsLoggedAsync(string id) =>
        (await _server.QueryDatabaseAsync("SELECT id FROM commands WHERE charge_point_id = @id", ("@id", id))).Count;

    [Test]
    public async Task A_booted_charger_is_listed_on_line_and_a_registered_one_off_line()
    {
        string online = TestIds.Next("CPL-ON");
        string offline = TestIds.Next("CPL-OFF");
        await using var client = await _server.ConnectBootedAsync(online);
        await _server.RegisterChargePointAsync(offline);

        var (status, html) = await _viewer.GetPageAsync("/chargepoints?q=CPL-");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Row(html, online), Does.Contain("on line"));
        Assert.That(Row(html, offline), Does.Contain("off line"));

        var (_, onlineOnly) = await _viewer.GetPageAsync("/chargepoints?state=online&q=CPL-");
        var (_, offlineOnly) = await _viewer.GetPageAsync("/chargepoints?state=offline&q=CPL-");
        Assert.That((HasRow(onlineOnly, online), HasRow(onlineOnly, offline)), Is.EqualTo((true, false)));
        Assert.That((HasRow(offlineOnly, online), HasRow(offlineOnly, offline)), Is.EqualTo((false, true)));
    }

    [Test]
    public async Task Detail_shows_the_connectors_and_a_faulted_one_is_listed_as_faulted()
    {
        string id = TestIds.Next("CPD");
        await using var client = await _server.ConnectBootedAsync(id);
        await client.CallResultAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" });
        await client.CallResultAsync("StatusNotification", new { connectorId = 2, errorCode = "GroundFailure", status = "Faulted", info = "RCD tripped" });

        var (status, html) = await _viewer.GetPageAsync($"/chargepoints/{id}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var connectors = Regex.Match(html, "<table class=\"grid\" id=\"cp-connectors\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(connectors, Does.Contain("Available").And.Contain("Faulted").And.Contain("GroundFailure").And.Contain("RCD tripped"));
        Assert.That(html, Does.Contain("TestVendor").And.Contain("TestModel"));
        Assert.That(html, Does.Contain("id=\"cp-message-log-off\""), "the message log is off by default");
        Assert.That(html, Does.Not.Contain("<form method=\"post\" action=\"/chargepoints/"), "a viewer gets no command forms");

        var (_, faulted) = await _viewer.GetPageAsync($"/chargepoints?state=faulted&q={id}");
        Assert.That(HasRow(faulted, id), Is.True);
    }

    [Test]
    public async Task With_the_message_log_on_the_detail_shows_the_chargers_recent_frames()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:MessageLog:Enabled"] = "true" });
        using var viewer = await DashboardClient.SignInAsync(server, OperatorRole.Viewer);
        string id = TestIds.Next("CPM");
        await using var client = await server.ConnectBootedAsync(id);
        await client.CallResultAsync("Heartbeat", new { });

        // The log is written in the background: the page shows the frames once they are stored.
        string html = await Eventually.UntilAsync(
            async () => (await viewer.GetPageAsync($"/chargepoints/{id}")).Html,
            page => Frames(page).Contains("Heartbeat", StringComparison.Ordinal) && Frames(page).Contains("BootNotification", StringComparison.Ordinal),
            "the frames are shown");
        string frames = Frames(html);
        Assert.That(frames, Does.Contain("from charger").And.Contain("to charger"));
        Assert.That(html, Does.Not.Contain("id=\"cp-message-log-off\""));
    }

    [Test]
    public async Task Unknown_charge_point_is_404()
    {
        var (status, _) = await _viewer.GetPageAsync($"/chargepoints/{TestIds.Next("NOSUCH")}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task An_operators_command_reaches_the_charger_and_its_answer_is_shown_and_audited()
    {
        string id = TestIds.Next("CPC");
        await using var client = await _server.ConnectBootedAsync(id);

        var post = _operator.PostFormAsync(Command(id), new Dictionary<string, string>
        {
            ["Form"] = "GetConfiguration",
            ["Command.Key"] = "HeartbeatInterval, NoSuchKey",
        });
        var call = await client.NextServerCallAsync();
        Assert.That(call.Action, Is.EqualTo("GetConfiguration"));
        Assert.That(call.Payload.GetProperty("key").EnumerateArray().Select(k => k.GetString()), Is.EqualTo(new[] { "HeartbeatInterval", "NoSuchKey" }));
        await client.RespondAsync(call, new
        {
            configurationKey = new object[] { new { key = "HeartbeatInterval", @readonly = false, value = "300" } },
            unknownKey = new[] { "NoSuchKey" },
        });

        using var response = await post;
        string html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        var table = Regex.Match(html, "<table class=\"grid\" id=\"answer-configuration\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(table, Does.Contain("HeartbeatInterval").And.Contain("300"));
        Assert.That(html, Does.Contain("Unknown keys: NoSuchKey"));

        var audit = await _server.GetService<AuditTrail>().ListAsync(null, 10, "operator:" + _operator.UserName, id, CancellationToken.None);
        Assert.That(audit.Entries.Select(e => (e.Action, e.Outcome)), Does.Contain(("command.GetConfiguration", "ok")));
    }

    [Test]
    public async Task Trigger_message_answer_status_is_shown()
    {
        string id = TestIds.Next("CPT");
        await using var client = await _server.ConnectBootedAsync(id);

        var post = _operator.PostFormAsync(Command(id), new Dictionary<string, string>
        {
            ["Form"] = "TriggerMessage",
            ["Command.RequestedMessage"] = "Heartbeat",
            ["Command.ConnectorId"] = "",
        });
        var call = await client.NextServerCallAsync();
        Assert.That(call.Action, Is.EqualTo("TriggerMessage"));
        Assert.That(call.Payload.GetProperty("requestedMessage").GetString(), Is.EqualTo("Heartbeat"));
        Assert.That(call.Payload.TryGetProperty("connectorId", out _), Is.False, "an empty optional field is left out");
        await client.RespondAsync(call, new { status = "Accepted" });

        using var response = await post;
        string html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Match("id=\"answer-status\">Accepted<"));
    }

    [Test]
    public async Task A_viewers_command_is_refused_and_nothing_is_sent()
    {
        string id = TestIds.Next("CPV");
        await using var client = await _server.ConnectBootedAsync(id);

        using var response = await _viewer.PostFormAsync(Command(id), new Dictionary<string, string>
        {
            ["Form"] = "Reset",
            ["Command.Type"] = "Hard",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect).Or.EqualTo(HttpStatusCode.Forbidden));
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.That(response.Headers.Location?.OriginalString, Does.Contain("/account/denied"));
        }

        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromSeconds(1)), Is.Null, "no CALL reaches the charger");
        Assert.That(await CommandsLoggedAsync(id), Is.Zero);
    }

    [Test]
    public async Task A_command_without_antiforgery_token_is_refused()
    {
        string id = TestIds.Next("CPX");
        await using var client = await _server.ConnectBootedAsync(id);

        using var response = await _operator.PostFormWithoutTokenAsync(Command(id), new Dictionary<string, string>
        {
            ["Form"] = "ClearCache",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromSeconds(1)), Is.Null);
    }

    [Test]
    public async Task Bad_command_input_is_shown_next_to_its_field_with_the_apis_message()
    {
        string id = TestIds.Next("CPB");
        await using var client = await _server.ConnectBootedAsync(id);
        var api = (await _server.SendCommandAsync(id, "UnlockConnector", """{"connectorId":"one"}""")).AssertProblem(HttpStatusCode.BadRequest);
        string apiMessage = $"{api.GetProperty("title").GetString()}: {api.GetProperty("detail").GetString()}";
        Assert.That(api.GetProperty("field").GetString(), Is.EqualTo("connectorId"), "the API names the field");

        using var typed = await _operator.PostFormAsync(Command(id), new Dictionary<string, string>
        {
            ["Form"] = "UnlockConnector",
            ["Command.ConnectorId"] = "one",
        });
        string html = await typed.Content.ReadAsStringAsync();
        Assert.That(typed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(FieldError(html, "f-UnlockConnector-connectorId-error"), Is.EqualTo(apiMessage));
        Assert.That(html, Does.Contain("value=\"one\""), "what was typed is kept");

        using var missing = await _operator.PostFormAsync(Command(id), new Dictionary<string, string>
        {
            ["Form"] = "RemoteStartTransaction",
            ["Command.IdTag"] = "",
            ["Command.ConnectorId"] = "1",
        });
        string missingHtml = await missing.Content.ReadAsStringAsync();
        Assert.That(FieldError(missingHtml, "f-RemoteStartTransaction-idTag-error"), Does.Contain("idTag"));
        Assert.That(DashboardClient.ValidationMessages(missingHtml), Has.Count.EqualTo(1), "shown once, next to its own form's field");

        Assert.That(await client.TryNextServerCallAsync(TimeSpan.FromSeconds(1)), Is.Null, "nothing invalid is sent");
        Assert.That(await CommandsLoggedAsync(id), Is.Zero);
    }

    [Test]
    public async Task A_command_to_a_charger_off_line_says_so()
    {
        string id = TestIds.Next("CPO");
        await _server.RegisterChargePointAsync(id);

        using var response = await _operator.PostFormAsync(Command(id), new Dictionary<string, string> { ["Form"] = "ClearCache" });

        string html = await response.Content.ReadAsStringAsync();
        Assert.That(DashboardClient.ValidationMessages(html), Has.Some.Contain($"Charge point {id} is not connected"));
    }

    [Test]
    public async Task An_admin_registers_a_charge_point_whose_generated_key_is_shown_once_and_admits_it()
    {
        string id = TestIds.Next("CPR");
        using var response = await _admin.PostFormAsync("/chargepoints?handler=Register", new Dictionary<string, string>
        {
            ["Input.Id"] = id,
            ["Input.StationId"] = "",
            ["Input.SecurityProfile"] = "1",
            ["Input.Password"] = "",
            ["Input.Authorization"] = "IdTagOnly",
        });
        string html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        string key = Regex.Match(html, "<code id=\"registered-password\" class=\"cp-key\">([0-9A-F]+)</code>").Groups[1].Value;
        Assert.That(key, Has.Length.EqualTo(40), html);

        await using var client = await _server.ConnectAsync(id, id, key);
        await client.AssertUsableAsync();
        var (_, list) = await _admin.GetPageAsync($"/chargepoints?q={id}");
        Assert.That(list, Does.Not.Contain(key), "the key is not shown again");
        var audit = await _server.GetService<AuditTrail>().ListAsync(null, 10, null, id, CancellationToken.None);
        Assert.That(audit.Entries.Select(e => (e.Action, e.Outcome)), Does.Contain(("chargepoint.register", "ok")));
        Assert.That(audit.Entries.Select(e => e.Detail ?? ""), Has.None.Contain(key));
    }

    [Test]
    public async Task A_bad_registration_is_shown_next_to_its_field_and_nothing_is_registered()
    {
        string id = TestIds.Next("CPRB");
        using var response = await _admin.PostFormAsync("/chargepoints?handler=Register", new Dictionary<string, string>
        {
            ["Input.Id"] = id,
            ["Input.SecurityProfile"] = "1",
            ["Input.Password"] = "short",
            ["Input.Authorization"] = "IdTagOnly",
        });
        string html = await response.Content.ReadAsStringAsync();
        var api = (await _server.PostAsync("/api/chargepoints", new { id, password = "short", authorization = "IdTagOnly" })).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(FieldError(html, "cp-password-error"), Is.EqualTo($"{api.GetProperty("title").GetString()}: {api.GetProperty("detail").GetString()}"));
        (await _server.GetAsync($"/api/chargepoints/{id}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task An_operator_may_not_register_a_charge_point()
    {
        string id = TestIds.Next("CPRO");
        using var response = await _operator.PostFormAsync("/chargepoints?handler=Register", new Dictionary<string, string>
        {
            ["Input.Id"] = id, ["Input.SecurityProfile"] = "1", ["Input.Authorization"] = "IdTagOnly",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect).Or.EqualTo(HttpStatusCode.Forbidden));
        (await _server.GetAsync($"/api/chargepoints/{id}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_list_is_paged_by_fifty_in_id_order()
    {
        string prefix = TestIds.Next("CPP") + "-";
        var ids = Enumerable.Range(0, 53).Select(i => $"{prefix}{i:D3}").ToList();
        foreach (string id in ids)
        {
            await _server.RegisterChargePointAsync(id);
        }

        var (_, first) = await _viewer.GetPageAsync($"/chargepoints?q={prefix}");
        var firstIds = RowIds(first);
        Assert.That(firstIds, Is.EqualTo(ids.Take(50)));
        string next = WebUtility.HtmlDecode(Regex.Match(first, "<a rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value);
        Assert.That(next, Does.Contain("after="));

        var (_, second) = await _viewer.GetPageAsync(next);
        Assert.That(RowIds(second), Is.EqualTo(ids.Skip(50)));
        Assert.That(second, Does.Not.Contain("rel=\"next\""));
    }

    private static string Frames(string html) =>
        Regex.Match(html, "<table class=\"grid\" id=\"cp-messages\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;

    private static List<string> RowIds(string html) =>
        RowIdPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The text of the error element with this id (empty when it shows none).</summary>
    private static string FieldError(string html, string id)
    {
        var match = Regex.Match(html, $"<span[^>]*id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</span>", RegexOptions.Singleline);
        Assert.That(match.Success, Is.True, $"no element {id}");
        return WebUtility.HtmlDecode(Regex.Replace(match.Groups[1].Value, "<[^>]+>", "")).Trim();
    }

    [GeneratedRegex("<tr data-id=\"([^\"]+)\">")]
    private static partial Regex RowIdPattern();
}
