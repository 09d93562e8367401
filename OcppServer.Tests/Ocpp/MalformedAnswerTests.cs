using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Server→charger calls answered badly: a malformed CALLRESULT/CALLERROR, an answer with the wrong id, or none. The
/// command API gets a clear 502 or 504, the connection stays usable, and the server never answers an answer.
/// </summary>
public sealed class MalformedAnswerTests
{
    private const int CallTimeoutSeconds = 2;

    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:CallTimeoutSeconds"] = $"{CallTimeoutSeconds}" });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> MalformedAnswers()
    {
        yield return new TestCaseData("""[3,"{id}"]""").SetName("CALLRESULT without payload -> 502");
        yield return new TestCaseData("""[3,"{id}",[]]""").SetName("CALLRESULT with an array payload -> 502");
        yield return new TestCaseData("""[3,"{id}",{"listVersion":1},{}]""").SetName("CALLRESULT with four elements -> 502");
        yield return new TestCaseData("""[3,"{id}",{"listVersion":"1"}]""").SetName("CALLRESULT violating the response schema -> 502");
        yield return new TestCaseData("""[3,"{id}",{"listVersion":1,"x":"\ud800"}]""").SetName("CALLRESULT with a lone surrogate -> 502");
        yield return new TestCaseData("""[3,"{id}",{"listVersion":""" + new string('[', 40) + new string(']', 40) + "}]").SetName("CALLRESULT nested too deep -> 502");
        yield return new TestCaseData("""[3,"{id}",{"listVersion":1""").SetName("CALLRESULT cut short -> 502");
        yield return new TestCaseData("""[4,"{id}","GenericError"]""").SetName("CALLERROR without description and details -> 502");
        yield return new TestCaseData("""[4,"{id}",7,"x",{}]""").SetName("CALLERROR with a numeric code -> 502");
    }

    [TestCaseSource(nameof(MalformedAnswers))]
    public async Task Malformed_answer_is_502_gets_no_reply_and_the_connection_goes_on(string template)
    {
        string id = TestIds.Next("BADANS");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "GetLocalListVersion", "{}");
        var call = await client.NextServerCallAsync();
        await client.SendRawAsync(template.Replace("{id}", call.UniqueId, StringComparison.Ordinal));

        var problem = (await api).AssertProblem(HttpStatusCode.BadGateway);
        Assert.That(problem.GetProperty("title").GetString(), Does.Contain("GetLocalListVersion"));
        var recorded = await _server.QueryDatabaseAsync("SELECT outcome FROM commands WHERE charge_point_id = @id", ("@id", id));
        Assert.That(recorded.Select(r => r["outcome"]), Is.EqualTo(new[] { "InvalidResponse" }));

        // No CALLERROR answers the bad answer (it would come before the Heartbeat's reply), and the next command works.
        await client.AssertUsableAsync();
        await AssertNextCommandWorksAsync(client, id);
    }

    [Test]
    public async Task Answer_with_the_wrong_id_is_ignored_the_call_times_out_with_504_and_the_connection_goes_on()
    {
        string id = TestIds.Next("BADANS");
        await using var client = await _server.ConnectBootedAsync(id);

        var api = _server.SendCommandAsync(id, "GetLocalListVersion", "{}");
        var call = await client.NextServerCallAsync();
        await client.SendRawAsync($$"""[3,"{{call.UniqueId}}-not",{"listVersion":1}]""");

        (await api).AssertProblem(HttpStatusCode.GatewayTimeout);
        await client.AssertUsableAsync();
        await AssertNextCommandWorksAsync(client, id);
    }

    private async Task AssertNextCommandWorksAsync(OcppTestClient client, string id)
    {
        var next = _server.SendCommandAsync(id, "GetLocalListVersion", "{}");
        var call = await client.NextServerCallAsync();
        await client.RespondAsync(call, new { listVersion = 7 });
        Assert.That((await next).AssertStatus(HttpStatusCode.OK).GetProperty("listVersion").GetInt32(), Is.EqualTo(7));
    }
}
