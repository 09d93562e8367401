using System.Net.WebSockets;
using System.Text;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Ocpp:MaxFrameBytes: a larger frame is discarded and answered with a CALLERROR carrying its own id, and the connection
/// goes on; only one beyond Ocpp:MaxDiscardedFrameBytes closes the connection with 1009 (message too big).
/// </summary>
public sealed class FrameSizeTests
{
    private const int MaxFrameBytes = 4096;
    private const int MaxDiscardedFrameBytes = 65536;

    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() =>
        _server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Ocpp:MaxFrameBytes"] = $"{MaxFrameBytes}",
            ["Ocpp:MaxDiscardedFrameBytes"] = $"{MaxDiscardedFrameBytes}",
        });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    /// <summary>A valid DataTransfer CALL of exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static byte[] DataTransferFrame(int bytes)
    {
        string head = """[2,"big","DataTransfer",{"vendorId":"com.test","data":" """.TrimEnd();
        const string Tail = "\"}]";
        string frame = head + new string('x', bytes - head.Length - Tail.Length) + Tail;
        Assert.That(Encoding.UTF8.GetByteCount(frame), Is.EqualTo(bytes));
        return Encoding.UTF8.GetBytes(frame);
    }

    [Test]
    public async Task Frame_of_exactly_the_limit_spanning_several_reads_is_processed()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("BIG"));

        await client.SendBytesAsync(DataTransferFrame(MaxFrameBytes));
        var reply = await client.NextReplyAsync();

        Assert.That(reply.MessageType, Is.EqualTo(3), reply.Text);
        Assert.That(reply.UniqueId, Is.EqualTo("big"));
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Frame_over_the_limit_is_answered_with_its_own_id_and_the_connection_goes_on()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("BIG"));

        await client.SendBytesAsync(DataTransferFrame(MaxFrameBytes + 1));
        var reply = await client.NextReplyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.MessageType, Is.EqualTo(4), reply.Text);
            Assert.That(reply.UniqueId, Is.EqualTo("big"));
            Assert.That(reply.ErrorCode, Is.EqualTo("FormationViolation"));
            Assert.That(reply.ErrorDescription, Does.Contain($"{MaxFrameBytes + 1} bytes").And.Contain($"{MaxFrameBytes} bytes"));
        }

        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Fragmented_message_over_the_limit_is_answered_and_the_connection_goes_on()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("BIG"));
        byte[] frame = DataTransferFrame(3 * 1500);

        await client.SendBytesAsync(frame[..1500], endOfMessage: false);
        await client.SendBytesAsync(frame[1500..3000], endOfMessage: false);
        await client.SendBytesAsync(frame[3000..], endOfMessage: true);
        var reply = await client.NextReplyAsync();

        Assert.That((reply.UniqueId, reply.ErrorCode), Is.EqualTo(("big", "FormationViolation")), reply.Text);
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Frame_beyond_what_is_discarded_closes_the_connection_with_1009()
    {
        string id = TestIds.Next("BIG");
        await using var client = await _server.ConnectBootedAsync(id);

        await client.SendBytesAsync(DataTransferFrame(MaxDiscardedFrameBytes + 1));

        Assert.That(await client.Closed.WaitAsync(OcppTestClient.DefaultTimeout), Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        await Eventually.UntilAsync(
            async () => (await _server.GetChargePointAsync(id)).GetProperty("connected").GetBoolean(), connected => !connected, "the server drops the connection");
    }

    [Test]
    public async Task Fragmented_message_under_the_limit_is_reassembled()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("BIG"));
        byte[] frame = DataTransferFrame(3000);

        await client.SendBytesAsync(frame[..10], endOfMessage: false);
        await client.SendBytesAsync(frame[10..2500], endOfMessage: false);
        await client.SendBytesAsync(frame[2500..], endOfMessage: true);
        var reply = await client.NextReplyAsync();

        Assert.That(reply.MessageType, Is.EqualTo(3), reply.Text);
        Assert.That(reply.UniqueId, Is.EqualTo("big"));
        Assert.That(reply.Payload.GetProperty("status").GetString(), Is.EqualTo("UnknownVendorId"));
    }
}
