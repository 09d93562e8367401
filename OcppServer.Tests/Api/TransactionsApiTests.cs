using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary><c>/api/transactions</c>: newest first, filtered by charge point, limited.</summary>
public sealed class TransactionsApiTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static async Task<int> StartAsync(OcppTestClient client, int connectorId, int meterStart) =>
        (await client.CallResultAsync("StartTransaction", new
        {
            connectorId, idTag = "TX-API", meterStart, timestamp = "2025-10-01T00:00:00.000Z",
        })).GetProperty("transactionId").GetInt32();

    [Test]
    public async Task List_is_filtered_by_charge_point_newest_first_and_limited()
    {
        string mine = TestIds.Next("TXA");
        string other = TestIds.Next("TXB");
        await using var client = await _server.ConnectBootedAsync(mine);
        await using var otherClient = await _server.ConnectBootedAsync(other);
        int t1 = await StartAsync(client, 1, 100);
        int otherTx = await StartAsync(otherClient, 1, 999);
        int t2 = await StartAsync(client, 2, 200);
        int t3 = await StartAsync(client, 3, 300);

        var all = await _server.GetJsonAsync($"/api/transactions?chargePointId={mine}");
        var limited = await _server.GetJsonAsync($"/api/transactions?chargePointId={mine}&limit=2");
        var everyone = await _server.GetJsonAsync("/api/transactions?limit=1000");

        Assert.That(all.EnumerateArray().Select(t => t.GetProperty("transactionId").GetInt32()), Is.EqualTo(new[] { t3, t2, t1 }));
        Assert.That(all.EnumerateArray().Select(t => t.GetProperty("chargePointId").GetString()), Is.All.EqualTo(mine));
        Assert.That(limited.EnumerateArray().Select(t => t.GetProperty("transactionId").GetInt32()), Is.EqualTo(new[] { t3, t2 }));
        Assert.That(everyone.EnumerateArray().Select(t => t.GetProperty("transactionId").GetInt32()), Is.SupersetOf(new[] { t1, t2, t3, otherTx }));
    }

    [Test]
    public async Task Limit_is_clamped_to_at_least_one()
    {
        string id = TestIds.Next("TXC");
        await using var client = await _server.ConnectBootedAsync(id);
        await StartAsync(client, 1, 1);
        int newest = await StartAsync(client, 2, 2);

        var list = await _server.GetJsonAsync($"/api/transactions?chargePointId={id}&limit=0");

        Assert.That(list.EnumerateArray().Select(t => t.GetProperty("transactionId").GetInt32()), Is.EqualTo(new[] { newest }));
    }

    [Test]
    public async Task Meter_values_appear_only_under_their_own_transaction()
    {
        string id = TestIds.Next("TXD");
        await using var client = await _server.ConnectBootedAsync(id);
        int t1 = await StartAsync(client, 1, 10);
        int t2 = await StartAsync(client, 2, 20);
        await client.CallResultAsync("MeterValues", new
        {
            connectorId = 2, transactionId = t2,
            meterValue = new object[] { new { timestamp = "2025-10-01T00:01:00.000Z", sampledValue = new object[] { new { value = "22" } } } },
        });

        var list = await _server.GetJsonAsync($"/api/transactions?chargePointId={id}");

        var byId = list.EnumerateArray().ToDictionary(t => t.GetProperty("transactionId").GetInt32(), t => t.GetProperty("meterValues").GetArrayLength());
        Assert.That(byId, Is.EqualTo(new Dictionary<int, int> { [t1] = 0, [t2] = 1 }));
    }

    [Test]
    public async Task Unknown_charge_point_has_no_transactions()
    {
        Assert.That((await _server.GetJsonAsync($"/api/transactions?chargePointId={TestIds.Next("NOSUCH")}")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Unknown_transaction_is_404()
    {
        (await _server.GetAsync("/api/transactions/2147483647")).AssertProblem(HttpStatusCode.NotFound);
    }
}
