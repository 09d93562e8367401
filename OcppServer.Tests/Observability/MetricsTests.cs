using System.Net;
using System.Net.Http.Headers;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Observability;

/// <summary>/metrics scraped around a charge point's journey: the server's counters move, with the labels they should carry.</summary>
public sealed class MetricsTests
{
    private TestServer _server = null!;
    private HttpClient _anonymous = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartAsync();
        _anonymous = new HttpClient { BaseAddress = _server.BaseUri };
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _anonymous.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await _server.Api.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_journey_moves_the_counters_with_their_labels()
    {
        string id = TestIds.Next("METRICS");
        string tag = TestIds.Next("MT");
        await _server.CreateIdTagAsync(tag);
        var before = await ScrapeAsync();

        await using (var client = await _server.ConnectBootedAsync(id))
        {
            await client.CallResultAsync("Authorize", new { idTag = tag });
            var start = await client.CallResultAsync("StartTransaction", new { connectorId = 1, idTag = tag, meterStart = 0, timestamp = "2025-07-01T10:00:00.000Z" });
            Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
            var unknown = await client.CallAsync("NoSuchAction", new { });
            Assert.That(unknown.ErrorCode, Is.EqualTo("NotImplemented"));

            var during = await ScrapeAsync();
            Assert.That(during.Sum("ocppauth_chargepoints_connected"), Is.GreaterThanOrEqualTo(1), during.Text);
        }

        var after = await Eventually.UntilAsync(ScrapeAsync,
            scrape => scrape.Sum("ocppauth_websocket_disconnects_total") > before.Sum("ocppauth_websocket_disconnects_total"), "the disconnect is counted");

        double Moved(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Moved("ocppauth_websocket_connects_total"), Is.GreaterThanOrEqualTo(1), after.Text);
            Assert.That(Moved("ocppauth_ocpp_calls_total", ("ocpp_action", "BootNotification"), ("ocpp_outcome", "CallResult")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_ocpp_calls_total", ("ocpp_action", "Authorize"), ("ocpp_outcome", "CallResult")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_ocpp_calls_total", ("ocpp_action", "StartTransaction"), ("ocpp_outcome", "CallResult")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_ocpp_calls_total", ("ocpp_action", "Unknown"), ("ocpp_outcome", "NotImplemented")), Is.GreaterThanOrEqualTo(1),
                "an unknown action is labelled Unknown: the text a charger sends never becomes a label");
            Assert.That(after.LabelsOf("ocppauth_ocpp_calls_total").Select(l => l["ocpp_action"]), Has.None.EqualTo("NoSuchAction"));
            Assert.That(Moved("ocppauth_ocpp_callerrors_total", ("ocpp_error_code", "NotImplemented"), ("ocpp_direction", "sent")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_ocpp_call_duration_seconds_count", ("ocpp_action", "Authorize")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_decisions_total", ("decision_phase", "Authorize"), ("decision_result", "Accepted"), ("decision_reason", "IdTagOnlyByOperator")),
                Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_decisions_total", ("decision_phase", "StartTransaction"), ("decision_result", "Accepted")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_decision_duration_seconds_count", ("decision_phase", "StartTransaction")), Is.GreaterThanOrEqualTo(1));
            Assert.That(Moved("ocppauth_storage_commit_duration_seconds_count", ("db_system_name", TestServer.OnPostgreSql ? "postgresql" : "sqlite")),
                Is.GreaterThanOrEqualTo(1));
            Assert.That(after.Text, Does.Not.Contain(tag), "no id tag in any label");
            Assert.That(after.Text, Does.Not.Contain(id), "no charge point id in any label");
            Assert.That(after.Has("http_server_request_duration_seconds_count"), Is.True, "ASP.NET Core's meters");
            Assert.That(after.Text, Does.Contain("dotnet_"), "the runtime's meter");
            Assert.That(after.Text, Does.Contain("ocppauth_camera_queue_depth"), "the camera queue gauge is exported before any image");
        }
    }

    [Test]
    public async Task Metrics_need_the_operator_key()
    {
        (await ApiResponse.ReadAsync(await _anonymous.GetAsync("/metrics"))).AssertProblem(HttpStatusCode.Unauthorized);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.ApiKey);
        using var response = await _anonymous.SendAsync(bearer);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "Prometheus sends the key as a bearer token");
    }

    [Test]
    public async Task Metrics_can_be_served_without_a_key()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Telemetry:MetricsRequireApiKey"] = "false" });
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };

        using var response = await anonymous.GetAsync("/metrics");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
