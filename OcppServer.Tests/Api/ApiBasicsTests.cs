using System.Net;
using System.Net.Sockets;
using System.Text;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary>Health endpoint, operator key, error format.</summary>
public sealed class ApiBasicsTests
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

    [TestCase("/api/drivers")]
    [TestCase("/api/chargepoints/CP1/commands/Reset")]
    [TestCase("/api/stations")]
    public async Task A_caller_without_a_key_is_refused_before_its_body_is_read(string path)
    {
        // A body announced as 20 MB of which only the start ever arrives: had the server bound the body before checking
        // the key, it would wait for the rest and never answer.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.BaseUri.Host, _server.BaseUri.Port);
        var stream = tcp.GetStream();
        string head = $"POST {path} HTTP/1.1\r\nHost: {_server.BaseUri.Authority}\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"name\":\""));

        var buffer = new byte[4096];
        int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(OcppTestClient.DefaultTimeout);

        Assert.That(Encoding.ASCII.GetString(buffer, 0, read), Does.StartWith("HTTP/1.1 401"));
    }

    [Test]
    public async Task A_body_over_the_operator_limit_is_413()
    {
        string name = new('x', 200_000);

        var response = await _server.PostAsync("/api/drivers", new { name, idTags = Array.Empty<string>() });

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), response.Text);
    }

    [Test]
    public async Task Health_answers_without_a_key()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("HEALTH"));

        var response = await ApiResponse.ReadAsync(await _anonymous.GetAsync("/healthz"));

        var body = response.AssertStatus(HttpStatusCode.OK);
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(body.GetProperty("connections").GetInt32(), Is.EqualTo(1));
    }

    [TestCase("GET", "/api/chargepoints")]
    [TestCase("GET", "/api/chargepoints/CP1")]
    [TestCase("POST", "/api/chargepoints")]
    [TestCase("PUT", "/api/chargepoints/CP1/password")]
    [TestCase("POST", "/api/chargepoints/CP1/approve")]
    [TestCase("POST", "/api/chargepoints/CP1/commands/Reset")]
    [TestCase("GET", "/api/idtags")]
    [TestCase("POST", "/api/idtags")]
    [TestCase("POST", "/api/idtags/T1/block")]
    [TestCase("GET", "/api/transactions")]
    [TestCase("GET", "/api/transactions/1")]
    public async Task Api_without_a_key_is_401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent("""{"id":"CP-NOKEY","idTag":"T-NOKEY","password":null}""", System.Text.Encoding.UTF8, "application/json");
        }

        var response = await ApiResponse.ReadAsync(await _anonymous.SendAsync(request));

        response.AssertProblem(HttpStatusCode.Unauthorized);
        (await _server.GetAsync("/api/chargepoints/CP-NOKEY")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Api_with_a_wrong_key_is_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chargepoints");
        request.Headers.Add("X-Api-Key", TestServer.ApiKey + "x");

        (await ApiResponse.ReadAsync(await _anonymous.SendAsync(request))).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Api_with_the_key_is_200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chargepoints");
        request.Headers.Add("X-Api-Key", TestServer.ApiKey);

        (await ApiResponse.ReadAsync(await _anonymous.SendAsync(request))).AssertStatus(HttpStatusCode.OK);
    }

    [Test]
    public async Task Server_without_configured_keys_refuses_every_api_call()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Api:Keys:0"] = "" });

        (await server.GetAsync("/api/chargepoints")).AssertProblem(HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/chargepoints");
        request.Headers.Add("X-Api-Key", "");
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };
        (await ApiResponse.ReadAsync(await anonymous.SendAsync(request))).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [TestCase("/api/chargepoints", "{\"id\":", TestName = "Truncated JSON to POST /api/chargepoints is 400 problem+json")]
    [TestCase("/api/chargepoints", "not json", TestName = "Non-JSON to POST /api/chargepoints is 400 problem+json")]
    [TestCase("/api/idtags", "{\"idTag\":\"X\",}", TestName = "Trailing comma to POST /api/idtags is 400 problem+json")]
    [TestCase("/api/chargepoints/CP1/commands/Reset", "{", TestName = "Truncated JSON to a command is 400 problem+json")]
    public async Task Malformed_json_body_is_400_problem_details(string path, string body)
    {
        (await _server.PostRawAsync(path, body)).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Wrong_json_type_in_body_is_400_problem_details()
    {
        (await _server.PostRawAsync("/api/chargepoints", """{"id":42}""")).AssertProblem(HttpStatusCode.BadRequest);
    }
}
