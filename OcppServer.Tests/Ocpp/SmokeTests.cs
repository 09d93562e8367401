using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

public sealed class SmokeTests
{
    [Test]
    public async Task Boot_then_heartbeat_over_a_real_websocket()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectBootedAsync("CP-SMOKE");
        Assert.That(client.SubProtocol, Is.EqualTo("ocpp1.6"));

        var heartbeat = await client.CallResultAsync("Heartbeat", new { });
        Assert.That(heartbeat.GetProperty("currentTime").GetString(), Does.EndWith("Z"));
    }
}
