using System.Net;
using System.Text.RegularExpressions;
using OcppServer.Operators;
using OcppServer.Tests.Infrastructure;
using OcppServer.Transactions;

namespace OcppServer.Tests.Dashboard;

/// <summary>/sessions and /sessions/{id}: the list's filters and paging, the meter chart drawn on the server.</summary>
public sealed class SessionPagesTests
{
    private TestServer _server = null!;
    private DashboardClient _viewer = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartAsync();
        _viewer = await DashboardClient.SignInAsync(_server, OperatorRole.Viewer);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _viewer.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task<int> StartAsync(OcppTestClient client, int connectorId, string idTag, int meterStart, string timestamp) =>
        (await client.CallResultAsync("StartTransaction", new { connectorId, idTag, meterStart, timestamp }))
            .GetProperty("transactionId").GetInt32();

    private static object Sample(string timestamp, params object[] values) => new { timestamp, sampledValue = values };

    [Test]
    public async Task Session_page_draws_energy_and_power_from_the_meter_values()
    {
        string id = TestIds.Next("SES");
        string tag = TestIds.Next("TAG");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);
        int tx = await StartAsync(client, 1, tag, 10_000, "2030-01-01T10:00:00.000Z");
        await client.CallResultAsync("MeterValues", new
        {
            connectorId = 1, transactionId = tx,
            meterValue = new[]
            {
                Sample("2030-01-01T10:15:00.000Z",
                    new { value = "12500", measurand = "Energy.Active.Import.Register", unit = "Wh" },
                    new { value = "10.2", measurand = "Power.Active.Import", unit = "kW" }),
                Sample("2030-01-01T10:30:00.000Z",
                    new { value = "15.1", measurand = "Energy.Active.Import.Register", unit = "kWh" },
                    new { value = "9800", measurand = "Power.Active.Import", unit = "W" },
                    new { value = "3300", measurand = "Power.Active.Import", unit = "W", phase = "L1" }),
            },
        });
        await client.CallResultAsync("StopTransaction", new { transactionId = tx, meterStop = 17_600, timestamp = "2030-01-01T10:45:00.000Z", reason = "Local" });

        var (status, html) = await _viewer.GetPageAsync($"/sessions/{tx}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var svg = Regex.Match(html, "<svg id=\"meter-chart\"(.*?)</svg>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(svg, Does.Contain("role=\"img\"").And.Contain("<title id=\"meter-title\">").And.Contain("<desc id=\"meter-desc\">"));
        Assert.That(svg, Does.Contain("Energy (Wh)").And.Contain("Power (W").And.Contain("Time (UTC)"));
        var energy = Points(svg, "energy");
        var power = Points(svg, "power");
        Assert.That(energy, Has.Count.EqualTo(4), "meterStart, two readings, meterStop");
        Assert.That(power, Has.Count.EqualTo(2), "the per-phase value is not a total");
        Assert.That(energy.Select(p => p.X), Is.Ordered.Ascending);
        Assert.That(energy.Select(p => p.Y), Is.Ordered.Descending, "the register only grows: higher up the chart");
        Assert.That(power[0].Y, Is.LessThan(power[1].Y), "10.2 kW is drawn above 9800 W");
        var readings = Regex.Match(html, "<table class=\"grid\" id=\"meter-readings\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(readings, Does.Contain("12500").And.Contain("15.1").And.Contain("9800").And.Contain("17600"));
        Assert.That(html, Does.Contain("7.6 kWh"));
        var linked = await _server.QueryDatabaseAsync(
            "SELECT id FROM authorization_decisions WHERE transaction_id = @tx AND charge_point_id = @cp", ("@tx", tx), ("@cp", id));
        Assert.That(linked, Is.Not.Empty, "the StartTransaction's decision is linked to the session");
        var decisions = Regex.Match(html, "<table class=\"grid\" id=\"session-decisions\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        foreach (var row in linked)
        {
            Assert.That(decisions, Does.Contain($"href=\"/decisions/{row["id"]}\""));
        }

        Assert.That(html, Does.Contain($"href=\"/chargepoints/{id}\""));
    }

    [Test]
    public async Task Session_without_readings_says_so_instead_of_a_chart()
    {
        string id = TestIds.Next("SEN");
        string tag = TestIds.Next("TAG");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);
        int tx = await StartAsync(client, 1, tag, 0, "2030-01-01T10:00:00.000Z");

        var (status, html) = await _viewer.GetPageAsync($"/sessions/{tx}");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Not.Contain("<svg").And.Contain("Too few meter readings"));
        Assert.That((await _viewer.GetPageAsync("/sessions/2147483647")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task List_filters_running_and_stopped_by_charge_point_and_id_tag()
    {
        string id = TestIds.Next("SEL");
        string tag = TestIds.Next("TAG");
        string other = TestIds.Next("TAG");
        await _server.CreateIdTagAsync(tag);
        await _server.CreateIdTagAsync(other);
        await using var client = await _server.ConnectBootedAsync(id);
        int stopped = await StartAsync(client, 1, tag, 0, "2030-01-01T10:00:00.000Z");
        await client.CallResultAsync("StopTransaction", new { transactionId = stopped, meterStop = 2500, timestamp = "2030-01-01T11:00:00.000Z" });
        int running = await StartAsync(client, 2, tag, 0, "2030-01-01T10:30:00.000Z");
        int others = await StartAsync(client, 3, other, 0, "2030-01-01T10:40:00.000Z");

        Assert.That(await IdsAsync($"/sessions?chargePoint={id}"), Is.EqualTo(new[] { others, running, stopped }));
        Assert.That(await IdsAsync($"/sessions?chargePoint={id}&state=running"), Is.EqualTo(new[] { others, running }));
        Assert.That(await IdsAsync($"/sessions?chargePoint={id}&state=stopped"), Is.EqualTo(new[] { stopped }));
        Assert.That(await IdsAsync($"/sessions?idTag={tag}"), Is.EqualTo(new[] { running, stopped }));
        Assert.That(await IdsAsync($"/sessions?chargePoint={id}&idTag={other}&state=running"), Is.EqualTo(new[] { others }));

        var (_, html) = await _viewer.GetPageAsync($"/sessions?chargePoint={id}&state=stopped");
        Assert.That(html, Does.Contain("2.5"), "energy in kWh");
    }

    [Test]
    public async Task Keyset_paging_goes_on_below_the_last_id_shown()
    {
        string id = TestIds.Next("SEP");
        string tag = TestIds.Next("TAG");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);
        var ids = new List<int>();
        for (int connector = 1; connector <= 3; connector++)
        {
            ids.Add(await StartAsync(client, connector, tag, 0, "2030-01-01T10:00:00.000Z"));
        }

        var store = _server.GetService<ITransactionStore>();
        var first = await store.ListPageAsync(new TransactionFilter(ChargePointId: id), null, 2, CancellationToken.None);
        var second = await store.ListPageAsync(new TransactionFilter(ChargePointId: id), first[^1].Id, 2, CancellationToken.None);

        Assert.That(first.Select(t => t.Id), Is.EqualTo(new[] { ids[2], ids[1] }));
        Assert.That(second.Select(t => t.Id), Is.EqualTo(new[] { ids[0] }));
        Assert.That(await IdsAsync($"/sessions?chargePoint={id}&before={ids[1]}"), Is.EqualTo(new[] { ids[0] }));
    }

    private async Task<List<int>> IdsAsync(string path)
    {
        var (status, html) = await _viewer.GetPageAsync(path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        return Regex.Matches(html, "<th scope=\"row\"><a href=\"/sessions/(\\d+)\">").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private static List<(double X, double Y)> Points(string svg, string series)
    {
        var match = Regex.Match(svg, $"<polyline class=\"{series}\" points=\"([^\"]*)\"");
        Assert.That(match.Success, Is.True, $"a {series} polyline");
        return match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }
}
