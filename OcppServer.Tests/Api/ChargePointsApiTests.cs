using System.Net;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary><c>/api/chargepoints</c>: registration, listing, one charge point, approve/reject.</summary>
public sealed class ChargePointsApiTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartAsync();
        foreach (string station in new[] { "SITE-1", "FIRST", "SECOND" })
        {
            await _server.CreateStationAsync(station);
        }
    }

    [Test]
    public async Task Unknown_station_is_400() =>
        (await _server.PostAsync("/api/chargepoints", new { id = "CP-NOSTATION-400", stationId = "NO-SUCH-STATION", password = TestServer.NewPassword() })).AssertProblem(HttpStatusCode.BadRequest);

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Register_returns_201_with_location_and_the_charge_point()
    {
        string id = TestIds.Next("REG A");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var response = await _server.PostAsync("/api/chargepoints", new { id, stationId = "SITE-1", password = TestServer.NewPassword() });

        var body = response.AssertStatus(HttpStatusCode.Created);
        Assert.That(response.Location?.OriginalString, Is.EqualTo($"/api/chargepoints/{Uri.EscapeDataString(id)}"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(id));
            Assert.That(body.GetProperty("stationId").GetString(), Is.EqualTo("SITE-1"));
            Assert.That(body.GetProperty("registrationStatus").GetString(), Is.EqualTo("Accepted"));
            Assert.That(body.GetProperty("requiresPassword").GetBoolean(), Is.True);
            Assert.That(body.GetProperty("allowUnauthenticated").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("risks").GetArrayLength(), Is.Zero);
            Assert.That(body.GetProperty("connected").GetBoolean(), Is.False);
            Assert.That(body.GetProperty("vendor").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(body.GetProperty("connectors").GetArrayLength(), Is.Zero);
            Assert.That(body.GetProperty("createdAt").GetDateTimeOffset(), Is.GreaterThan(before));
        }

        var fetched = await _server.GetJsonAsync(response.Location!.OriginalString);
        Assert.That(fetched.GetProperty("id").GetString(), Is.EqualTo(id));
    }

    [Test]
    public async Task Register_with_password_requires_it()
    {
        string id = TestIds.Next("REGPW");

        var body = (await _server.PostAsync("/api/chargepoints", new { id, password = TestServer.NewPassword() })).AssertStatus(HttpStatusCode.Created);

        Assert.That(body.GetProperty("requiresPassword").GetBoolean(), Is.True);
        Assert.That(body.TryGetProperty("password", out _), Is.False);
        Assert.That(body.TryGetProperty("passwordHash", out _), Is.False);
    }

    [Test]
    public async Task Duplicate_id_is_409()
    {
        string id = TestIds.Next("DUP");
        (await _server.PostAsync("/api/chargepoints", new { id, stationId = "FIRST", allowUnauthenticated = true })).AssertStatus(HttpStatusCode.Created);

        (await _server.PostAsync("/api/chargepoints", new { id, stationId = "SECOND", allowUnauthenticated = true })).AssertProblem(HttpStatusCode.Conflict);

        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("stationId").GetString(), Is.EqualTo("FIRST"), "the first registration is kept");
    }

    private static IEnumerable<TestCaseData> InvalidRegistrations()
    {
        yield return new TestCaseData(new { id = "" }).SetName("Empty id is 400");
        yield return new TestCaseData(new { id = new string('x', 49) }).SetName("Id of 49 characters is 400");
        yield return new TestCaseData(new { id = "CP\u0001" }).SetName("Id with a control character is 400");
        yield return new TestCaseData(new { stationId = "S" }).SetName("Missing id is 400");
        yield return new TestCaseData(new { id = "CP-SHORTPW", password = "1234567" }).SetName("Password of 7 characters is 400");
        yield return new TestCaseData(new { id = "CP-LONGPW", password = new string('a', 42) }).SetName("Password of 42 hex characters is 400");
        yield return new TestCaseData(new { id = "CP-CTRLPW", password = "0123456789abcdef\n0123456789abcde" }).SetName("Password with a control character is 400");
        yield return new TestCaseData(new { id = "CP-NOPW" }).SetName("No password and no allowUnauthenticated is 400");
        yield return new TestCaseData(new { id = "CP-NOPW2", allowUnauthenticated = false }).SetName("No password and allowUnauthenticated false is 400");
    }

    [TestCaseSource(nameof(InvalidRegistrations))]
    public async Task Invalid_registration_is_400(object request)
    {
        (await _server.PostAsync("/api/chargepoints", request)).AssertProblem(HttpStatusCode.BadRequest);

        var ids = (await _server.GetJsonAsync("/api/chargepoints")).EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.That(ids, Has.None.StartWith("CP-"), "nothing was registered");
        Assert.That(ids, Has.None.EqualTo(new string('x', 49)), "nothing was registered");
    }

    [Test]
    public async Task Id_of_48_characters_and_password_of_40_hex_characters_are_accepted()
    {
        (await _server.PostAsync("/api/chargepoints", new { id = new string('m', 48), password = new string('f', 40) })).AssertStatus(HttpStatusCode.Created);
    }

    [Test]
    public async Task List_shows_every_charge_point_ordered_by_id_with_connection_state()
    {
        string prefix = TestIds.Next("LIST");
        await _server.RegisterChargePointAsync(prefix + "-B");
        await _server.RegisterChargePointAsync(prefix + "-A");
        await using var client = await _server.ConnectAsync(prefix + "-B");
        await client.BootAsync();

        var list = (await _server.GetJsonAsync("/api/chargepoints")).EnumerateArray()
            .Where(c => c.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        Assert.That(list.Select(c => c.GetProperty("id").GetString()), Is.EqualTo(new[] { prefix + "-A", prefix + "-B" }));
        Assert.That(list.Select(c => c.GetProperty("connected").GetBoolean()), Is.EqualTo(new[] { false, true }));
        Assert.That(list[1].GetProperty("connectedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
    }

    [Test]
    public async Task Unknown_charge_point_is_404()
    {
        (await _server.GetAsync($"/api/chargepoints/{TestIds.Next("NOSUCH")}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [TestCase("approve")]
    [TestCase("reject")]
    public async Task Approve_or_reject_of_an_unknown_charge_point_is_404(string verb)
    {
        (await _server.PostAsync($"/api/chargepoints/{TestIds.Next("NOSUCH")}/{verb}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Reject_then_approve_changes_the_registration_status()
    {
        string id = TestIds.Next("APPR");
        await _server.RegisterChargePointAsync(id);

        (await _server.PostAsync($"/api/chargepoints/{id}/reject")).AssertStatus(HttpStatusCode.NoContent);
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("registrationStatus").GetString(), Is.EqualTo("Rejected"));

        (await _server.PostAsync($"/api/chargepoints/{id}/approve")).AssertStatus(HttpStatusCode.NoContent);
        Assert.That((await _server.GetChargePointAsync(id)).GetProperty("registrationStatus").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Malformed_json_body_is_400_problem_details()
    {
        var response = await _server.PostRawAsync("/api/chargepoints", """{"id": "CP-BROKEN",""");

        response.AssertProblem(HttpStatusCode.BadRequest);
        (await _server.GetAsync("/api/chargepoints/CP-BROKEN")).AssertProblem(HttpStatusCode.NotFound);
    }
}
