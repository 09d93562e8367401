using System.Net.WebSockets;
using System.Text;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Frames the server cannot accept are answered with the CALLERROR code OCPP-J 1.6 §4.2.3 asks for, and the connection
/// stays usable afterwards.
/// </summary>
public sealed class CallErrorTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private static IEnumerable<TestCaseData> BadFrames()
    {
        // NotImplemented / NotSupported
        yield return new TestCaseData("""[2,"e1","FooBar",{}]""", "e1", "NotImplemented").SetName("unknown action -> NotImplemented");
        yield return new TestCaseData("""[2,"e2","HeartbeatResponse",{"currentTime":"2025-01-01T00:00:00Z"}]""", "e2", "NotImplemented").SetName("response name as action -> NotImplemented");
        yield return new TestCaseData("""[2,"e3","Reset",{"type":"Hard"}]""", "e3", "NotSupported").SetName("server-to-charger action sent by the charger -> NotSupported");
        yield return new TestCaseData("""[2,"e4","RemoteStartTransaction",{"idTag":"X"}]""", "e4", "NotSupported").SetName("RemoteStartTransaction sent by the charger -> NotSupported");

        // FormationViolation
        yield return new TestCaseData("""[2,"e5","Heartbeat",{""", "e5", "FormationViolation").SetName("invalid JSON after a readable id -> FormationViolation with that id");
        yield return new TestCaseData("""[2,"e5""", "-1", "FormationViolation").SetName("JSON cut inside the id -> FormationViolation with id -1");
        yield return new TestCaseData("""[2,"deep","DataTransfer",{"vendorId":"v","data":""" + new string('[', 40) + new string(']', 40) + "}]", "deep", "FormationViolation")
            .SetName("payload nested too deep -> FormationViolation with the frame's id");
        yield return new TestCaseData("""[2,"","Heartbeat",{}]""", "", "FormationViolation").SetName("empty id -> FormationViolation echoing it");
        yield return new TestCaseData("""[2,"0123456789012345678901234567890123456789","Heartbeat",{}]""", "0123456789012345678901234567890123456789", "FormationViolation")
            .SetName("id of 40 characters -> FormationViolation echoing it");
        yield return new TestCaseData("""[2,"m1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-11-28T10:47:17.000Z","sampledValue":[{"value":"1","phase":"\ud800"}]}]}]""", "m1", "PropertyConstraintViolation")
            .SetName("lone surrogate in a payload string -> PropertyConstraintViolation");
        yield return new TestCaseData("""[2,"m2","DataTransfer",{"vendorId":"v","data":"a\udc00"}]""", "m2", "PropertyConstraintViolation")
            .SetName("lone low surrogate in free text -> PropertyConstraintViolation");
        yield return new TestCaseData("""[2,"m3","Authorize",{"idTag":"A","\ud83dx":1}]""", "m3", "FormationViolation")
            .SetName("lone surrogate in a property name -> FormationViolation");
        yield return new TestCaseData("""[2,"m4","Heart\ud800",{}]""", "m4", "NotImplemented").SetName("lone surrogate in the action -> NotImplemented");
        yield return new TestCaseData("""[2,"d1","Authorize",{"idTag":"A","idTag":null}]""", "d1", "FormationViolation")
            .SetName("a property named twice -> FormationViolation (not the schema on one value and the handler on the other)");
        yield return new TestCaseData("""[2,"d2","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","status":"Bogus"}]""", "d2", "FormationViolation")
            .SetName("an invalid status after a valid one -> FormationViolation");
        yield return new TestCaseData("""[2,"d3","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1","value":"2"}]}]}]""", "d3", "FormationViolation")
            .SetName("a nested property named twice -> FormationViolation");
        yield return new TestCaseData("""{"action":"Heartbeat"}""", "-1", "FormationViolation").SetName("not an array -> FormationViolation with id -1");
        yield return new TestCaseData("""[2,"e6","Heartbeat",[]]""", "e6", "FormationViolation").SetName("payload an array -> FormationViolation");
        yield return new TestCaseData("""[2,"e7","Heartbeat","{}"]""", "e7", "FormationViolation").SetName("payload a string -> FormationViolation");
        yield return new TestCaseData("""[2,"e8","Heartbeat",{"surprise":1}]""", "e8", "FormationViolation").SetName("additionalProperties -> FormationViolation");
        yield return new TestCaseData("""[2,"e9","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","note":"x"}]""", "e9", "FormationViolation").SetName("additionalProperties among valid fields -> FormationViolation");
        yield return new TestCaseData("""[9,"e10","Heartbeat",{}]""", "e10", "FormationViolation").SetName("message type id 9 -> FormationViolation with the same id");
        yield return new TestCaseData("""[2,"e11","Heartbeat",{},{}]""", "e11", "FormationViolation").SetName("five elements -> FormationViolation");

        // ProtocolError
        yield return new TestCaseData("""[2,"e12","Heartbeat"]""", "e12", "ProtocolError").SetName("CALL without payload -> ProtocolError");

        // OccurenceConstraintViolation
        yield return new TestCaseData("""[2,"e13","Authorize",{}]""", "e13", "OccurenceConstraintViolation").SetName("missing required field -> OccurenceConstraintViolation");
        yield return new TestCaseData("""[2,"e14","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"unit":"Wh"}]}]}]""", "e14", "OccurenceConstraintViolation").SetName("missing nested required field -> OccurenceConstraintViolation");

        // TypeConstraintViolation
        yield return new TestCaseData("""[2,"e15","Authorize",{"idTag":12345}]""", "e15", "TypeConstraintViolation").SetName("number for string -> TypeConstraintViolation");
        yield return new TestCaseData("""[2,"e16","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":"0","timestamp":"2025-01-01T00:00:00Z"}]""", "e16", "TypeConstraintViolation").SetName("string for integer -> TypeConstraintViolation");

        // PropertyConstraintViolation
        yield return new TestCaseData("""[2,"e17","Authorize",{"idTag":"123456789012345678901"}]""", "e17", "PropertyConstraintViolation").SetName("string too long -> PropertyConstraintViolation");
        yield return new TestCaseData("""[2,"e18","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]""", "e18", "PropertyConstraintViolation").SetName("not in enum -> PropertyConstraintViolation");
        yield return new TestCaseData("""[2,"e19","MeterValues",{"connectorId":2147483648,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1"}]}]}]""", "e19", "PropertyConstraintViolation").SetName("integer beyond int32 -> PropertyConstraintViolation");
        yield return new TestCaseData("""[2,"e20","StatusNotification",{"connectorId":-1,"errorCode":"NoError","status":"Available"}]""", "e20", "PropertyConstraintViolation").SetName("below minimum -> PropertyConstraintViolation");
    }

    [TestCaseSource(nameof(BadFrames))]
    public async Task Bad_frame_is_answered_with_a_call_error_and_the_connection_stays_usable(string frame, string expectedId, string expectedCode)
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("ERR"));

        await client.SendRawAsync(frame);
        var reply = await client.NextReplyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.MessageType, Is.EqualTo(4), reply.Text);
            Assert.That(reply.UniqueId, Is.EqualTo(expectedId), reply.Text);
            Assert.That(reply.ErrorCode, Is.EqualTo(expectedCode), reply.Text);
            Assert.That(reply.ErrorDescription, Is.Not.Empty);
            Assert.That(reply.Root.GetArrayLength(), Is.EqualTo(5), "CALLERROR is [4, id, code, description, details]");
        }

        await client.AssertUsableAsync();
        Assert.That(client.State, Is.EqualTo(WebSocketState.Open));
    }

    [Test]
    public async Task Call_result_with_an_unknown_id_gets_no_reply()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("ERR"));

        await client.SendRawAsync("""[3,"never-sent",{"status":"Accepted"}]""");
        await client.SendRawAsync("""[4,"never-sent-either","GenericError","",{}]""");

        // Replies come back in order: had the server answered either frame, that answer would arrive before the
        // Heartbeat's and fail the id check inside CallAsync.
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Binary_frame_is_answered_with_a_call_error()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("ERR"));

        await client.SendBytesAsync(Encoding.UTF8.GetBytes("""[2,"b1","Heartbeat",{}]"""), WebSocketMessageType.Binary);
        var reply = await client.NextReplyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.MessageType, Is.EqualTo(4), reply.Text);
            Assert.That(reply.UniqueId, Is.EqualTo("b1"), "the id of a binary frame is read when it can be");
            Assert.That(reply.ErrorCode, Is.EqualTo("FormationViolation"));
        }

        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Surrogate_pair_escapes_are_ordinary_text()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("ERR"));

        // U+1F600 written as its escaped surrogate pair: Unicode text, accepted like any other.
        await client.SendRawAsync("""[2,"p1","DataTransfer",{"vendorId":"com.example","data":"\ud83d\ude00 ok"}]""");
        var reply = await client.NextReplyAsync();

        Assert.That(reply.MessageType, Is.EqualTo(3), reply.Text);
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Several_errors_in_a_row_leave_the_connection_usable()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("ERR"));

        await client.SendRawAsync("not json at all");
        await client.SendRawAsync("""[2,"s2","FooBar",{}]""");
        await client.SendRawAsync("""[2,"s3","Authorize",{}]""");
        var replies = new[] { await client.NextReplyAsync(), await client.NextReplyAsync(), await client.NextReplyAsync() };

        Assert.That(replies.Select(r => (r.UniqueId, r.ErrorCode)), Is.EquivalentTo(new[]
        {
            ("-1", "FormationViolation"), ("s2", "NotImplemented"), ("s3", "OccurenceConstraintViolation"),
        }));
        await client.AssertUsableAsync();
    }

    [Test]
    public async Task Calls_are_answered_in_the_order_they_were_sent()
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("ERR"));

        for (int i = 0; i < 10; i++)
        {
            await client.SendRawAsync($$"""[2,"o{{i}}","Heartbeat",{}]""");
        }

        var ids = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            ids.Add((await client.NextReplyAsync()).UniqueId);
        }

        Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"o{i}")));
    }
}
