using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

public sealed class ConnectionLimitTests
{
    [Test]
    public async Task Past_the_connection_limit_new_identities_get_503_but_reconnects_are_let_in()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:MaxConnections"] = "2" });
        foreach (string id in new[] { "LIM-1", "LIM-2", "LIM-3" })
        {
            await server.RegisterChargePointAsync(id);
        }

        await using var first = await server.ConnectAsync("LIM-1");
        await using var second = await server.ConnectAsync("LIM-2");
        await Eventually.UntilAsync(
            async () => (await server.GetJsonAsync("/healthz")).GetProperty("connections").GetInt32(), n => n == 2, "both sockets are registered");

        Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri("LIM-3"), "LIM-3", server.PasswordOf("LIM-3")),
            Is.EqualTo(HttpStatusCode.ServiceUnavailable));

        await using var replacement = await server.ConnectAsync("LIM-1");
        await replacement.CallResultAsync("BootNotification", new { chargePointVendor = "V", chargePointModel = "M" });
    }
}
