using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>Everything lives in the SQLite file: a restarted server on the same data folder knows it all.</summary>
public sealed class PersistenceTests
{
    [Test]
    public async Task Data_survives_a_restart_on_the_same_database()
    {
        const string Id = "PERSIST-1";
        const string Password = "0123456789ABCDEF0123456789ABCDEF";
        await using var server = await TestServer.StartAsync();
        await server.CreateStationAsync("STATION-9");
        await server.RegisterChargePointAsync(Id, Password, stationId: "STATION-9");
        await server.CreateIdTagAsync("PERSIST-PARENT");
        await server.CreateIdTagAsync("PERSIST-TAG", parentIdTag: "PERSIST-PARENT");
        int transactionId;
        await using (var client = await server.ConnectAsync(Id, user: Id, password: Password))
        {
            await client.CallResultAsync("BootNotification", new { chargePointVendor = "KeepVendor", chargePointModel = "KeepModel", firmwareVersion = "9.9" });
            await client.CallResultAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Charging" });
            await client.CallResultAsync("FirmwareStatusNotification", new { status = "Installed" });
            await client.CallResultAsync("Heartbeat", new { });
            transactionId = (await client.CallResultAsync("StartTransaction", new
            {
                connectorId = 1, idTag = "PERSIST-TAG", meterStart = 10, timestamp = "2025-09-01T00:00:00.000Z",
            })).GetProperty("transactionId").GetInt32();
            await client.CallResultAsync("MeterValues", new
            {
                connectorId = 1, transactionId,
                meterValue = new object[] { new { timestamp = "2025-09-01T00:05:00.000Z", sampledValue = new object[] { new { value = "510", unit = "Wh" } } } },
            });
        }

        var before = await server.GetChargePointAsync(Id);
        await server.RestartAsync();

        var cp = await server.GetChargePointAsync(Id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cp.GetProperty("stationId").GetString(), Is.EqualTo("STATION-9"));
            Assert.That(cp.GetProperty("vendor").GetString(), Is.EqualTo("KeepVendor"));
            Assert.That(cp.GetProperty("firmwareVersion").GetString(), Is.EqualTo("9.9"));
            Assert.That(cp.GetProperty("firmwareStatus").GetString(), Is.EqualTo("Installed"));
            Assert.That(cp.GetProperty("requiresPassword").GetBoolean(), Is.True);
            Assert.That(cp.GetProperty("connected").GetBoolean(), Is.False);
            Assert.That(cp.GetProperty("lastHeartbeatAt").GetString(), Is.EqualTo(before.GetProperty("lastHeartbeatAt").GetString()).And.Not.Null);
            Assert.That(cp.GetProperty("connectors")[0].GetProperty("status").GetString(), Is.EqualTo("Charging"));
        }

        var tx = await server.GetJsonAsync($"/api/transactions/{transactionId}");
        Assert.That(tx.GetProperty("meterStart").GetInt32(), Is.EqualTo(10));
        Assert.That(tx.GetProperty("meterValues")[0].GetProperty("value").GetString(), Is.EqualTo("510"));
        Assert.That((await server.GetJsonAsync("/api/idtags/PERSIST-TAG")).GetProperty("parentIdTag").GetString(), Is.EqualTo("PERSIST-PARENT"));
        var migrations = await server.QueryDatabaseAsync("SELECT version FROM schema_migrations");
        var versions = migrations.Select(r => r["version"]?.ToString()).ToList();
        Assert.That(versions, Is.Unique, "migrations run once");
        Assert.That(versions, TestServer.OnPostgreSql
            ? Does.Contain("0018_baseline")
            : Does.Contain("0001_ocpp_core").And.Contain("0002_layered_authorization"));

        // The restarted server still authenticates the charger and remembers its open transaction.
        Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri(Id), Id, "wrong-password"), Is.EqualTo(HttpStatusCode.Unauthorized));
        await using var again = await server.ConnectAsync(Id, user: Id, password: Password);
        Assert.That(await again.BootAsync(), Is.EqualTo("Accepted"));
        var resend = await again.CallResultAsync("StartTransaction", new
        {
            connectorId = 1, idTag = "PERSIST-TAG", meterStart = 10, timestamp = "2025-09-01T00:00:00.000Z",
        });
        Assert.That(resend.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId), "de-dup works across restarts");
        var concurrent = await again.CallResultAsync("StartTransaction", new
        {
            connectorId = 2, idTag = "PERSIST-TAG", meterStart = 0, timestamp = "2025-09-01T01:00:00.000Z",
        });
        Assert.That(concurrent.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("ConcurrentTx"));
        Assert.That(concurrent.GetProperty("transactionId").GetInt32(), Is.GreaterThan(transactionId));
    }
}
