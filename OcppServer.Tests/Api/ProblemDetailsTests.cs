using System.Net;
using System.Text;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary>Every error of the API is RFC 9457 ProblemDetails (application/problem+json), whatever class of error it is.</summary>
public sealed class ProblemDetailsTests
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

    [TestCase("/api/no-such-area")]
    [TestCase("/api/chargepoints/CP1/no-such-thing")]
    public async Task An_unknown_route_under_api_is_404(string path)
    {
        (await _server.GetAsync(path)).AssertProblem(HttpStatusCode.NotFound);
        (await ApiResponse.ReadAsync(await _anonymous.GetAsync(path))).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_method_the_route_does_not_take_is_405()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/stations");
        (await ApiResponse.ReadAsync(await _server.Api.SendAsync(request))).AssertProblem(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task A_resource_that_does_not_exist_is_404()
    {
        var problem = (await _server.GetAsync("/api/drivers/drv_nobody")).AssertProblem(HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("drv_nobody"));
    }

    [Test]
    public async Task A_missing_key_is_401()
    {
        (await ApiResponse.ReadAsync(await _anonymous.GetAsync("/api/stations"))).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await ApiResponse.ReadAsync(await _server.Api.PostAsync("/api/drivers", new StringContent("name=x", Encoding.UTF8, "text/plain")));

        var problem = response.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("text/plain"));
    }

    [Test]
    public async Task Malformed_json_is_400_saying_where()
    {
        var problem = (await _server.PostRawAsync("/api/stations", "{\"id\": \"ST-X\", ")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("JSON").And.Contain("Path"));
    }

    [Test]
    public async Task A_body_over_the_limit_is_413()
    {
        (await _server.PostAsync("/api/drivers", new { name = new string('x', 200_000) })).AssertProblem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task A_conflict_is_409()
    {
        await _server.CreateStationAsync("ST-DUPLICATE");

        (await _server.PostAsync("/api/stations", new { id = "ST-DUPLICATE" })).AssertProblem(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task A_command_to_a_charger_that_is_not_connected_is_409()
    {
        string id = TestIds.Next("PROBLEM");
        await _server.RegisterChargePointAsync(id);

        (await _server.SendCommandAsync(id, "ClearCache", "{}")).AssertProblem(HttpStatusCode.Conflict);
    }
}
