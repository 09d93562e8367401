using System.Text;
using System.Text.Json;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Framing;

namespace OcppServer.Tests.Unit;

public sealed class OcppFrameParserTests
{
    private static OcppFrame Parse(string text) => OcppFrameParser.Parse(Encoding.UTF8.GetBytes(text));

    [Test]
    public void Parses_a_call()
    {
        var frame = Parse("""[2, "abc-1", "Heartbeat", {"a": [1, 2]}]""");

        Assert.That(frame, Is.TypeOf<OcppCall>());
        var call = (OcppCall)frame;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(call.UniqueId, Is.EqualTo("abc-1"));
            Assert.That(call.Action, Is.EqualTo("Heartbeat"));
            Assert.That(call.Payload.GetProperty("a").GetArrayLength(), Is.EqualTo(2));
        }
    }

    [Test]
    public void Parses_a_call_result()
    {
        var frame = Parse("""[3,"id-7",{"status":"Accepted"}]""");

        Assert.That(frame, Is.TypeOf<OcppCallResult>());
        var result = (OcppCallResult)frame;
        Assert.That(result.UniqueId, Is.EqualTo("id-7"));
        Assert.That(result.Payload.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    [Test]
    public void Parses_a_call_error()
    {
        var frame = Parse("""[4,"id-8","NotSupported","no such thing",{"k":"v"}]""");

        Assert.That(frame, Is.TypeOf<OcppCallError>());
        var error = (OcppCallError)frame;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.UniqueId, Is.EqualTo("id-8"));
            Assert.That(error.ErrorCode, Is.EqualTo("NotSupported"));
            Assert.That(error.Description, Is.EqualTo("no such thing"));
            Assert.That(error.Details.GetProperty("k").GetString(), Is.EqualTo("v"));
        }
    }

    [Test]
    public void Payload_outlives_the_parsed_document()
    {
        // The parser clones the payload so that the pooled JsonDocument can be disposed at once.
        var call = (OcppCall)Parse("""[2,"x","DataTransfer",{"vendorId":"v","data":"d"}]""");
        GC.Collect();

        Assert.That(call.Payload.GetProperty("vendorId").GetString(), Is.EqualTo("v"));
    }

    [TestCase("[2,\"x\",", "x", OcppErrorCode.FormationViolation, TestName = "truncated JSON after the id keeps the id")]
    [TestCase("[2,\"x", "-1", OcppErrorCode.FormationViolation, TestName = "truncated inside the id")]
    [TestCase("[2,\"x\",\"Heartbeat\",{\"a\":}]", "x", OcppErrorCode.FormationViolation, TestName = "invalid JSON in the payload keeps the id")]
    [TestCase("[{\"t\":[1]},\"x\",\"Heartbeat\",{}", "x", OcppErrorCode.FormationViolation, TestName = "truncated frame with an object as type id keeps the id")]
    [TestCase("hello", "-1", OcppErrorCode.FormationViolation, TestName = "not JSON")]
    [TestCase("""{"messageTypeId":2}""", "-1", OcppErrorCode.FormationViolation, TestName = "object instead of array")]
    [TestCase("[]", "-1", OcppErrorCode.FormationViolation, TestName = "empty array")]
    [TestCase("""["2","m1","Heartbeat",{}]""", "m1", OcppErrorCode.FormationViolation, TestName = "type id as string keeps the id")]
    [TestCase("""[9,"m2","Heartbeat",{}]""", "m2", OcppErrorCode.FormationViolation, TestName = "unknown type id keeps the id")]
    [TestCase("""[2,17,"Heartbeat",{}]""", "-1", OcppErrorCode.FormationViolation, TestName = "numeric unique id")]
    [TestCase("""[2]""", "-1", OcppErrorCode.FormationViolation, TestName = "type id only")]
    [TestCase("""[2,"","Heartbeat",{}]""", "", OcppErrorCode.FormationViolation, TestName = "empty unique id is echoed")]
    [TestCase("""[2,"0123456789012345678901234567890123456","Heartbeat",{}]""", "0123456789012345678901234567890123456", OcppErrorCode.FormationViolation, TestName = "unique id of 37 characters is echoed")]
    [TestCase("""[2,"m13","Heart\udc00",{}]""", null, null, TestName = "action with a lone surrogate is a call (answered NotImplemented)")]
    [TestCase("""[2,"m3","Heartbeat"]""", "m3", OcppErrorCode.ProtocolError, TestName = "call without payload")]
    [TestCase("""[2,"m4"]""", "m4", OcppErrorCode.FormationViolation, TestName = "call without action")]
    [TestCase("""[2,"m5",7,{}]""", "m5", OcppErrorCode.FormationViolation, TestName = "action not a string")]
    [TestCase("""[2,"m6","Heartbeat",[]]""", "m6", OcppErrorCode.FormationViolation, TestName = "payload an array")]
    [TestCase("""[2,"m7","Heartbeat","{}"]""", "m7", OcppErrorCode.FormationViolation, TestName = "payload a string")]
    [TestCase("""[2,"m8","Heartbeat",{},{}]""", "m8", OcppErrorCode.FormationViolation, TestName = "call with five elements")]
    [TestCase("""[3,"m9"]""", "m9", OcppErrorCode.FormationViolation, TestName = "call result without payload")]
    [TestCase("""[3,"m10",[]]""", "m10", OcppErrorCode.FormationViolation, TestName = "call result payload an array")]
    [TestCase("""[4,"m11","GenericError","x"]""", "m11", OcppErrorCode.FormationViolation, TestName = "call error without details")]
    [TestCase("""[4,"m12",5,"x",{}]""", "m12", OcppErrorCode.FormationViolation, TestName = "call error code not a string")]
    public void Malformed_frame_is_answered_with(string text, string? expectedId, string? expectedCode)
    {
        var frame = Parse(text);
        if (expectedId is null)
        {
            Assert.That(frame, Is.TypeOf<OcppCall>(), frame.ToString());
            return;
        }

        Assert.That(frame, Is.TypeOf<OcppMalformedFrame>(), frame.ToString());
        var malformed = (OcppMalformedFrame)frame;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(malformed.UniqueId, Is.EqualTo(expectedId));
            Assert.That(malformed.ErrorCode, Is.EqualTo(expectedCode));
            Assert.That(malformed.Description, Is.Not.Empty);
        }
    }

    [Test]
    public void Unique_id_of_36_characters_is_accepted()
    {
        string id = new('a', OcppFrameParser.MaxUniqueIdLength);

        Assert.That(Parse($$"""[2,"{{id}}","Heartbeat",{}]""").UniqueId, Is.EqualTo(id));
    }

    [Test]
    public void Deeply_nested_payload_is_refused_with_the_frames_own_id()
    {
        string deep = """[2,"deep-1","DataTransfer",{"vendorId":"v","x":""" + new string('[', 100) + new string(']', 100) + "}]";

        var frame = Parse(deep);

        Assert.That(frame, Is.TypeOf<OcppMalformedFrame>());
        var malformed = (OcppMalformedFrame)frame;
        Assert.That((malformed.UniqueId, malformed.ErrorCode), Is.EqualTo(("deep-1", OcppErrorCode.FormationViolation)));
        Assert.That(malformed.Description, Does.Contain("deeper than 32"));
    }

    [Test]
    public void Invalid_utf8_is_refused_with_the_frames_own_id()
    {
        byte[] frame = [.. Encoding.UTF8.GetBytes("""[2,"u1","DataTransfer",{"vendorId":"v","data":" """.TrimEnd()), 0xC3, 0x28, .. "\"}]"u8];

        var parsed = OcppFrameParser.Parse(frame);

        Assert.That(parsed, Is.TypeOf<OcppMalformedFrame>());
        Assert.That(((OcppMalformedFrame)parsed).UniqueId, Is.EqualTo("u1"));
        Assert.That(((OcppMalformedFrame)parsed).Description, Does.Contain("UTF-8"));
    }

    [TestCase("""[3,"a1"]""", true)]
    [TestCase("""[4,"a2","GenericError"]""", true)]
    [TestCase("""[2,"a3","Heartbeat"]""", false)]
    [TestCase("""[7,"a4",{}]""", false)]
    public void A_malformed_answer_is_told_apart_from_a_malformed_call(string text, bool isAnswer) =>
        Assert.That(((OcppMalformedFrame)Parse(text)).IsAnswer, Is.EqualTo(isAnswer));

    [Test]
    public void Call_error_echoes_an_id_holding_a_lone_surrogate_exactly()
    {
        var malformed = (OcppMalformedFrame)Parse("""[2,"a\ud800b","Heartbeat",{}]""");

        string written = Encoding.UTF8.GetString(OcppFrameWriter.CallError(malformed.UniqueId, malformed.ErrorCode, "x\ud800"));

        Assert.That(written, Does.StartWith("""[4,"a\ud800b","FormationViolation","x"""));
        Assert.That(Parse(written).UniqueId, Is.EqualTo("a\ud800b"));
    }

    [Test]
    public void Deeply_nested_json_is_refused_not_thrown()
    {
        string deep = new string('[', 100) + new string(']', 100);

        var frame = Parse(deep);

        Assert.That(frame, Is.TypeOf<OcppMalformedFrame>());
        Assert.That(((OcppMalformedFrame)frame).UniqueId, Is.EqualTo(OcppFrameParser.UnknownId));
    }

    [Test]
    public void Writer_output_round_trips_through_the_parser()
    {
        using var payload = JsonDocument.Parse("""{"status":"Accepted","n":1.5}""");

        var call = (OcppCall)Parse(Encoding.UTF8.GetString(OcppFrameWriter.Call("w1", "Reset", payload.RootElement)));
        var result = (OcppCallResult)Parse(Encoding.UTF8.GetString(OcppFrameWriter.CallResult("w2", payload.RootElement)));
        var error = (OcppCallError)Parse(Encoding.UTF8.GetString(OcppFrameWriter.CallError("w3", OcppErrorCode.InternalError, "boom")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((call.UniqueId, call.Action, call.Payload.GetRawText()), Is.EqualTo(("w1", "Reset", payload.RootElement.GetRawText())));
            Assert.That((result.UniqueId, result.Payload.GetProperty("n").GetDecimal()), Is.EqualTo(("w2", 1.5m)));
            Assert.That((error.UniqueId, error.ErrorCode, error.Description), Is.EqualTo(("w3", "InternalError", "boom")));
            Assert.That(error.Details.ValueKind, Is.EqualTo(JsonValueKind.Object));
        }
    }
}
