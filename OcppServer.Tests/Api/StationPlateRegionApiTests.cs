using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary>
/// The station's plate region through the API (on the engine of the test servers: OCPPAUTH_TEST_STORAGE=PostgreSql runs
/// it on PostgreSQL): set at creation and through PUT /api/stations/{id}/plate-region, shown by get and list, stored as
/// the catalogue writes it, and a code the catalogue does not know refused naming the field.
/// </summary>
public sealed class StationPlateRegionApiTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static string NewId() => $"ST-{Guid.NewGuid():N}"[..20];

    [Test]
    public async Task A_station_is_created_with_its_plate_region_and_lists_it()
    {
        string id = NewId();
        var created = (await _server.PostAsync("/api/stations", new { id, plateRegion = "us-ca" })).AssertStatus(HttpStatusCode.Created);
        Assert.That(created.GetProperty("plateRegion").GetString(), Is.EqualTo("US-CA"), "stored as the catalogue writes it");
        Assert.That((await _server.GetJsonAsync($"/api/stations/{id}")).GetProperty("plateRegion").GetString(), Is.EqualTo("US-CA"));
        var listed = (await _server.GetJsonAsync("/api/stations")).EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.That(listed.GetProperty("plateRegion").GetString(), Is.EqualTo("US-CA"));

        string plain = NewId();
        var none = (await _server.PostAsync("/api/stations", new { id = plain })).AssertStatus(HttpStatusCode.Created);
        Assert.That(none.GetProperty("plateRegion").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    [Test]
    public async Task An_unknown_plate_region_is_refused_naming_the_field_and_nothing_is_created()
    {
        string id = NewId();
        var problem = (await _server.PostAsync("/api/stations", new { id, plateRegion = "Atlantis" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("plateRegion"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Atlantis is not one"));
        (await _server.GetAsync($"/api/stations/{id}")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_plate_region_is_changed_and_cleared()
    {
        string id = NewId();
        (await _server.PostAsync("/api/stations", new { id, plateRegion = "DE" })).AssertStatus(HttpStatusCode.Created);

        var changed = (await _server.PutAsync($"/api/stations/{id}/plate-region", new { plateRegion = "BR" })).AssertStatus(HttpStatusCode.OK);
        Assert.That(changed.GetProperty("plateRegion").GetString(), Is.EqualTo("BR"));
        Assert.That((await _server.GetJsonAsync($"/api/stations/{id}")).GetProperty("plateRegion").GetString(), Is.EqualTo("BR"));

        var refused = (await _server.PutAsync($"/api/stations/{id}/plate-region", new { plateRegion = "XX" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(refused.GetProperty("field").GetString(), Is.EqualTo("plateRegion"));
        Assert.That((await _server.GetJsonAsync($"/api/stations/{id}")).GetProperty("plateRegion").GetString(), Is.EqualTo("BR"), "unchanged");

        var cleared = (await _server.PutAsync($"/api/stations/{id}/plate-region", new { plateRegion = (string?)null })).AssertStatus(HttpStatusCode.OK);
        Assert.That(cleared.GetProperty("plateRegion").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));

        (await _server.PutAsync("/api/stations/no-such-station/plate-region", new { plateRegion = "DE" })).AssertProblem(HttpStatusCode.NotFound);
    }
}
