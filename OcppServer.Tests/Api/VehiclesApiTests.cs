using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary><c>/api/vehicles</c>: the optional EVCC ID is stored normalised, and a malformed one is refused with its field.</summary>
public sealed class VehiclesApiTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private async Task<string> CreateDriverAsync() =>
        (await _server.PostAsync("/api/drivers", new { name = "Owner", idTags = new[] { TestIds.Next("VEH") } }))
            .AssertStatus(HttpStatusCode.Created).GetProperty("id").GetString()!;

    [Test]
    public async Task An_EVCC_ID_is_stored_normalised_and_shown()
    {
        string owner = await CreateDriverAsync();
        int seed = 9001;
        var created = (await _server.PostAsync("/api/vehicles", new
        {
            vin = LayeredScenario.NewVin(seed), plate = LayeredScenario.UkPlate(seed), ownerDriverId = owner, evccId = " 00-1a-2b-3c-4d-5e ",
        })).AssertStatus(HttpStatusCode.Created);
        Assert.That(created.GetProperty("evccId").GetString(), Is.EqualTo("00-1A-2B-3C-4D-5E"));

        string id = created.GetProperty("id").GetString()!;
        var read = await _server.GetJsonAsync($"/api/vehicles/{id}");
        Assert.That(read.GetProperty("evccId").GetString(), Is.EqualTo("00-1A-2B-3C-4D-5E"));

        var without = (await _server.PostAsync("/api/vehicles", new
        {
            vin = LayeredScenario.NewVin(seed + 1), plate = LayeredScenario.UkPlate(seed + 1), ownerDriverId = owner,
        })).AssertStatus(HttpStatusCode.Created);
        Assert.That(without.GetProperty("evccId").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("00:1A:2B:3C:4D:5E;DROP")]
    [TestCase("::")]
    [TestCase("ÄÖÜ123")]
    public async Task A_malformed_EVCC_ID_is_refused_naming_its_field(string evccId)
    {
        string owner = await CreateDriverAsync();
        var response = await _server.PostAsync("/api/vehicles", new
        {
            vin = LayeredScenario.NewVin(9100), plate = LayeredScenario.UkPlate(9100), ownerDriverId = owner, evccId,
        });
        var problem = response.AssertStatus(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Invalid EVCC ID"));
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("evccId"));
    }

    [Test]
    public async Task A_too_long_EVCC_ID_is_refused() =>
        Assert.That((await _server.PostAsync("/api/vehicles", new
        {
            vin = LayeredScenario.NewVin(9200), plate = LayeredScenario.UkPlate(9200), ownerDriverId = await CreateDriverAsync(), evccId = new string('A', 65),
        })).AssertStatus(HttpStatusCode.BadRequest).GetProperty("field").GetString(), Is.EqualTo("evccId"));
}
