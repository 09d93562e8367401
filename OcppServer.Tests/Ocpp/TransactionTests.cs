using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>Transaction rules: resend de-duplication, authorization outcomes, ConcurrentTx, unmatched StopTransaction.</summary>
public sealed class TransactionTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static object Start(string idTag, int connectorId = 1, int meterStart = 0, string timestamp = "2025-07-01T10:00:00.000Z") =>
        new { connectorId, idTag, meterStart, timestamp };

    private static (string Status, int TransactionId) Read(JsonElement startAnswer) =>
        (startAnswer.GetProperty("idTagInfo").GetProperty("status").GetString()!, startAnswer.GetProperty("transactionId").GetInt32());

    private async Task<JsonElement> TransactionsOfAsync(string chargePointId) =>
        await _server.GetJsonAsync($"/api/transactions?chargePointId={Uri.EscapeDataString(chargePointId)}");

    [Test]
    public async Task Resent_StartTransaction_gets_the_same_transaction()
    {
        string id = TestIds.Next("DEDUP");
        string tag = TestIds.Next("DT");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);

        var first = await client.CallAsync("StartTransaction", Start(tag, meterStart: 500), uniqueId: "start-1");
        var resend = await client.CallAsync("StartTransaction", Start(tag, meterStart: 500), uniqueId: "start-2");

        Assert.That(first.MessageType, Is.EqualTo(3), first.Text);
        Assert.That(resend.MessageType, Is.EqualTo(3), resend.Text);
        var (firstStatus, firstId) = Read(first.Payload);
        var (resendStatus, resendId) = Read(resend.Payload);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstId, Is.Positive);
            Assert.That(resendId, Is.EqualTo(firstId));
            Assert.That(firstStatus, Is.EqualTo("Accepted"));
            Assert.That(resendStatus, Is.EqualTo("Accepted"), "not ConcurrentTx: it is the same transaction");
        }

        Assert.That((await TransactionsOfAsync(id)).GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task StartTransaction_with_different_content_is_a_new_transaction()
    {
        string id = TestIds.Next("NEWTX");
        await using var client = await _server.ConnectBootedAsync(id);
        string tag = TestIds.Next("NT");

        var (_, a) = Read(await client.CallResultAsync("StartTransaction", Start(tag, meterStart: 1)));
        var (_, b) = Read(await client.CallResultAsync("StartTransaction", Start(tag, meterStart: 2)));
        var (_, c) = Read(await client.CallResultAsync("StartTransaction", Start(tag, meterStart: 2, timestamp: "2025-07-01T10:00:00.001Z")));

        Assert.That(new[] { a, b, c }, Is.Unique.And.All.Positive);
        Assert.That((await TransactionsOfAsync(id)).GetArrayLength(), Is.EqualTo(3));
    }

    private static IEnumerable<TestCaseData> RefusedTags()
    {
        yield return new TestCaseData(null, null, "Invalid").SetName("Unknown idTag -> Invalid, still a transactionId");
        yield return new TestCaseData("Blocked", null, "Blocked").SetName("Blocked idTag -> Blocked, still a transactionId");
        yield return new TestCaseData("Accepted", "2020-01-01T00:00:00Z", "Expired").SetName("Expired idTag -> Expired, still a transactionId");
        yield return new TestCaseData("Expired", null, "Expired").SetName("idTag stored Expired -> Expired, still a transactionId");
        yield return new TestCaseData("Invalid", null, "Invalid").SetName("idTag stored Invalid -> Invalid, still a transactionId");
    }

    [TestCaseSource(nameof(RefusedTags))]
    public async Task StartTransaction_with_a_refused_idTag_still_gets_a_transaction(string? storedStatus, string? expiry, string expectedStatus)
    {
        string id = TestIds.Next("REFUSE");
        string tag = TestIds.Next("RT");
        if (storedStatus is not null)
        {
            await _server.CreateIdTagAsync(tag, storedStatus, expiry is null ? null : DateTimeOffset.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var client = await _server.ConnectBootedAsync(id);

        var (status, transactionId) = Read(await client.CallResultAsync("StartTransaction", Start(tag)));

        Assert.That(status, Is.EqualTo(expectedStatus));
        Assert.That(transactionId, Is.Positive);
        var tx = await _server.GetJsonAsync($"/api/transactions/{transactionId}");
        Assert.That(tx.GetProperty("startStatus").GetString(), Is.EqualTo(expectedStatus));
        Assert.That(tx.GetProperty("idTag").GetString(), Is.EqualTo(tag));
    }

    [Test]
    public async Task Second_transaction_of_an_idTag_with_an_open_one_is_ConcurrentTx()
    {
        string id = TestIds.Next("CONC");
        string tag = TestIds.Next("CT");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);

        var (firstStatus, firstId) = Read(await client.CallResultAsync("StartTransaction", Start(tag, connectorId: 1)));
        var (secondStatus, secondId) = Read(await client.CallResultAsync("StartTransaction", Start(tag, connectorId: 2)));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstStatus, Is.EqualTo("Accepted"));
            Assert.That(secondStatus, Is.EqualTo("ConcurrentTx"));
            Assert.That(secondId, Is.Positive.And.Not.EqualTo(firstId));
        }

        // Authorize is not a transaction start: the tag itself is still valid.
        var authorize = await client.CallResultAsync("Authorize", new { idTag = tag });
        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        await client.CallResultAsync("StopTransaction", new { transactionId = firstId, meterStop = 10, timestamp = "2025-07-01T11:00:00.000Z" });
        var (thirdStatus, _) = Read(await client.CallResultAsync("StartTransaction", Start(tag, connectorId: 1, timestamp: "2025-07-01T12:00:00.000Z")));
        Assert.That(thirdStatus, Is.EqualTo("Accepted"), "the open transaction was stopped");
    }

    [Test]
    public async Task Refused_transaction_does_not_count_as_open_for_ConcurrentTx()
    {
        string id = TestIds.Next("CONC");
        string tag = TestIds.Next("CB");
        await _server.CreateIdTagAsync(tag, "Blocked");
        await using var client = await _server.ConnectBootedAsync(id);
        Assert.That(Read(await client.CallResultAsync("StartTransaction", Start(tag, connectorId: 1))).Status, Is.EqualTo("Blocked"));

        (await _server.PutAsync($"/api/idtags/{tag}", new { status = "Accepted" })).AssertStatus(System.Net.HttpStatusCode.OK);

        Assert.That(Read(await client.CallResultAsync("StartTransaction", Start(tag, connectorId: 2))).Status, Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Parent_idTag_and_expiry_are_returned_in_idTagInfo()
    {
        string id = TestIds.Next("PARENT");
        string tag = TestIds.Next("CH");
        string parent = TestIds.Next("PA");
        await _server.CreateIdTagAsync(parent);
        await _server.CreateIdTagAsync(tag, expiryDate: new DateTimeOffset(2098, 12, 31, 23, 0, 0, TimeSpan.Zero), parentIdTag: parent);
        await using var client = await _server.ConnectBootedAsync(id);

        var answer = await client.CallResultAsync("StartTransaction", Start(tag));

        var info = answer.GetProperty("idTagInfo");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
            Assert.That(info.GetProperty("parentIdTag").GetString(), Is.EqualTo(parent));
            Assert.That(info.GetProperty("expiryDate").GetString(), Is.EqualTo("2098-12-31T23:00:00.000Z"));
        }
    }

    [Test]
    public async Task Blocked_parent_blocks_its_children()
    {
        string tag = TestIds.Next("CH");
        string parent = TestIds.Next("PB");
        await _server.CreateIdTagAsync(parent, "Blocked");
        await _server.CreateIdTagAsync(tag, parentIdTag: parent);
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("PARENT"));

        var authorize = await client.CallResultAsync("Authorize", new { idTag = tag });

        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Blocked"));
        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("parentIdTag").GetString(), Is.EqualTo(parent));
    }

    [TestCase("Expired", null, "Expired", TestName = "A tag whose group is Expired is Expired")]
    [TestCase("Invalid", null, "Invalid", TestName = "A tag whose group is Invalid is Invalid")]
    [TestCase("Accepted", "2001-01-01T00:00:00Z", "Expired", TestName = "A tag whose group's expiry has passed is Expired")]
    [TestCase(null, null, "Invalid", TestName = "A tag whose group is not registered is Invalid")]
    [TestCase("Accepted", "2099-01-01T00:00:00Z", "Accepted", TestName = "A tag whose group is Accepted is Accepted")]
    public async Task A_tag_takes_the_status_of_its_group(string? parentStatus, string? parentExpiry, string expected)
    {
        string tag = TestIds.Next("CH");
        string parent = TestIds.Next("PG");
        if (parentStatus is not null)
        {
            await _server.CreateIdTagAsync(parent, parentStatus, parentExpiry is null ? null : DateTimeOffset.Parse(parentExpiry));
        }

        await _server.CreateIdTagAsync(tag, parentIdTag: parent);
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("PARENT"));

        var authorize = await client.CallResultAsync("Authorize", new { idTag = tag });
        var start = await client.CallResultAsync("StartTransaction", Start(tag));

        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo(expected));
        Assert.That(start.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_circular_chain_of_groups_is_refused()
    {
        string a = TestIds.Next("CA");
        string b = TestIds.Next("CB");
        await _server.CreateIdTagAsync(a, parentIdTag: b);
        await _server.CreateIdTagAsync(b, parentIdTag: a);
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("PARENT"));

        var authorize = await client.CallResultAsync("Authorize", new { idTag = a });

        Assert.That(authorize.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Invalid"));
    }

    [Test]
    public async Task StopTransaction_for_an_unknown_transaction_is_answered_and_kept()
    {
        string id = TestIds.Next("UNMATCHED");
        string tag = TestIds.Next("UT");
        await _server.CreateIdTagAsync(tag);
        await using var client = await _server.ConnectBootedAsync(id);

        var reply = await client.CallAsync("StopTransaction", new
        {
            transactionId = 987654, meterStop = 4321, timestamp = "2025-08-01T18:30:00.000Z", idTag = tag, reason = "PowerLoss",
            transactionData = new object[]
            {
                new { timestamp = "2025-08-01T18:30:00.000Z", sampledValue = new object[] { new { value = "4321", measurand = "Energy.Active.Import.Register", unit = "Wh" } } },
            },
        });

        Assert.That(reply.MessageType, Is.EqualTo(3), $"a CALLERROR would make the charger resend it forever: {reply.Text}");
        Assert.That(reply.Payload.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        var unmatched = await _server.QueryDatabaseAsync(
            "SELECT transaction_id, id_tag, meter_stop, stop_timestamp, stop_reason FROM unmatched_stop_transactions WHERE charge_point_id = @id",
            ("@id", id));
        Assert.That(unmatched, Has.Count.EqualTo(1));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unmatched[0]["transaction_id"], Is.EqualTo(987654L));
            Assert.That(unmatched[0]["id_tag"], Is.EqualTo(tag));
            Assert.That(unmatched[0]["meter_stop"], Is.EqualTo(4321L));
            Assert.That(unmatched[0]["stop_timestamp"], Is.EqualTo(new DateTimeOffset(2025, 8, 1, 18, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()));
            Assert.That(unmatched[0]["stop_reason"], Is.EqualTo("PowerLoss"));
        }

        var data = await _server.QueryDatabaseAsync(
            "SELECT transaction_id, value, source FROM meter_values WHERE charge_point_id = @id", ("@id", id));
        Assert.That(data, Has.Count.EqualTo(1));
        Assert.That((data[0]["transaction_id"], data[0]["value"], data[0]["source"]), Is.EqualTo((987654L, "4321", "StopTransaction")));
        Assert.That((await TransactionsOfAsync(id)).GetArrayLength(), Is.Zero, "no transaction is invented");
    }

    [Test]
    public async Task StopTransaction_for_another_charge_points_transaction_is_kept_as_unmatched()
    {
        string owner = TestIds.Next("OWNER");
        string other = TestIds.Next("OTHER");
        await using var ownerClient = await _server.ConnectBootedAsync(owner);
        await using var otherClient = await _server.ConnectBootedAsync(other);
        var (_, transactionId) = Read(await ownerClient.CallResultAsync("StartTransaction", Start(TestIds.Next("OT"))));

        await otherClient.CallResultAsync("StopTransaction", new { transactionId, meterStop = 1, timestamp = "2025-08-02T00:00:00.000Z" });

        var tx = await _server.GetJsonAsync($"/api/transactions/{transactionId}");
        Assert.That(tx.GetProperty("stopTimestamp").ValueKind, Is.EqualTo(JsonValueKind.Null), "the owner's transaction is untouched");
        var unmatched = await _server.QueryDatabaseAsync(
            "SELECT transaction_id FROM unmatched_stop_transactions WHERE charge_point_id = @id", ("@id", other));
        Assert.That(unmatched.Select(r => r["transaction_id"]), Is.EqualTo(new object[] { (long)transactionId }));
    }

    [Test]
    public async Task Resent_StopTransaction_does_not_store_its_data_twice()
    {
        string id = TestIds.Next("RESTOP");
        await using var client = await _server.ConnectBootedAsync(id);
        var (_, transactionId) = Read(await client.CallResultAsync("StartTransaction", Start(TestIds.Next("RS"))));
        var stop = new
        {
            transactionId, meterStop = 900, timestamp = "2025-08-03T00:00:00.000Z",
            transactionData = new object[] { new { timestamp = "2025-08-03T00:00:00.000Z", sampledValue = new object[] { new { value = "900" } } } },
        };

        await client.CallResultAsync("StopTransaction", stop);
        await client.CallResultAsync("StopTransaction", stop);

        var tx = await _server.GetJsonAsync($"/api/transactions/{transactionId}");
        Assert.That(tx.GetProperty("meterStop").GetInt32(), Is.EqualTo(900));
        Assert.That(tx.GetProperty("meterValues").GetArrayLength(), Is.EqualTo(1));
        var unmatched = await _server.QueryDatabaseAsync("SELECT COUNT(*) AS n FROM unmatched_stop_transactions WHERE charge_point_id = @id", ("@id", id));
        Assert.That(unmatched[0]["n"], Is.EqualTo(0L), "a resend of a known stop is not unmatched");
    }
}
