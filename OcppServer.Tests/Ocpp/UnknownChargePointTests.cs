using System.Net;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>Ocpp:UnknownChargePoints = Reject | Pending | Accept. Each test needs its own server for its policy.</summary>
public sealed class UnknownChargePointTests
{
    private static Task<TestServer> StartAsync(string policy) =>
        TestServer.StartAsync(new Dictionary<string, string?> { ["Ocpp:UnknownChargePoints"] = policy });

    [Test]
    public async Task Reject_refuses_the_handshake_with_401()
    {
        await using var server = await StartAsync("Reject");

        Assert.That(await OcppTestClient.HandshakeStatusAsync(server.WebSocketUri("NEW-REJECT")), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await server.GetJsonAsync("/api/chargepoints")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Pending_accepts_the_socket_and_boots_Accepted_after_approval()
    {
        await using var server = await StartAsync("Pending");
        await using var client = await server.ConnectAsync("NEW-PENDING");

        Assert.That(await client.BootAsync(), Is.EqualTo("Pending"));
        await client.CallErrorAsync("Heartbeat", new { }, "SecurityError");
        await client.CallErrorAsync("StatusNotification", new { connectorId = 1, errorCode = "NoError", status = "Available" }, "SecurityError");
        Assert.That((await server.GetChargePointAsync("NEW-PENDING")).GetProperty("registrationStatus").GetString(), Is.EqualTo("Pending"));
        Assert.That((await server.GetChargePointAsync("NEW-PENDING")).GetProperty("connectors").GetArrayLength(), Is.Zero);

        (await server.PostAsync("/api/chargepoints/NEW-PENDING/approve")).AssertStatus(HttpStatusCode.NoContent);

        var trigger = await client.AnswerServerCallAsync("TriggerMessage", new { status = "Accepted" });
        Assert.That(trigger.Payload.GetProperty("requestedMessage").GetString(), Is.EqualTo("BootNotification"));
        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
        await client.AssertUsableAsync();
        Assert.That((await server.GetChargePointAsync("NEW-PENDING")).GetProperty("registrationStatus").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Pending_charge_point_that_reconnects_after_approval_is_accepted()
    {
        await using var server = await StartAsync("Pending");
        await using (var first = await server.ConnectAsync("NEW-LATER"))
        {
            Assert.That(await first.BootAsync(), Is.EqualTo("Pending"));
        }

        await Eventually.UntilAsync(
            async () => (await server.GetChargePointAsync("NEW-LATER")).GetProperty("connected").GetBoolean(), c => !c, "the first socket is gone");
        (await server.PostAsync("/api/chargepoints/NEW-LATER/approve")).AssertStatus(HttpStatusCode.NoContent);

        await using var second = await server.ConnectAsync("NEW-LATER");
        Assert.That(await second.BootAsync(), Is.EqualTo("Accepted"));
    }

    [Test]
    public async Task Accept_registers_and_accepts_at_once()
    {
        await using var server = await StartAsync("Accept");
        await using var client = await server.ConnectAsync("NEW-ACCEPT");

        Assert.That(await client.BootAsync("AutoVendor"), Is.EqualTo("Accepted"));
        await client.AssertUsableAsync();

        var cp = await server.GetChargePointAsync("NEW-ACCEPT");
        Assert.That(cp.GetProperty("registrationStatus").GetString(), Is.EqualTo("Accepted"));
        Assert.That(cp.GetProperty("vendor").GetString(), Is.EqualTo("AutoVendor"));
        Assert.That(cp.GetProperty("requiresPassword").GetBoolean(), Is.False);
        Assert.That(cp.GetProperty("allowUnauthenticated").GetBoolean(), Is.True, "the policy is the operator's explicit opt-in, shown as a risk");
        Assert.That(cp.GetProperty("risks").EnumerateArray().Select(r => r.GetProperty("code").GetString()), Does.Contain("allowUnauthenticated"));
    }

    [Test]
    public async Task Policy_does_not_apply_to_registered_charge_points()
    {
        await using var server = await StartAsync("Pending");
        await server.RegisterChargePointAsync("KNOWN-1");
        await using var client = await server.ConnectAsync("KNOWN-1");

        Assert.That(await client.BootAsync(), Is.EqualTo("Accepted"));
    }
}
