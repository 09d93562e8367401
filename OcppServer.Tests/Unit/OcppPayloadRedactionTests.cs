using OcppServer.Ocpp.Redaction;

namespace OcppServer.Tests.Unit;

/// <summary>What of a logged frame or command is redacted: a test vendor's secret DataTransfer data, and AuthorizationKey values.</summary>
public sealed class OcppPayloadRedactionTests
{
    private sealed class WholeDataRedactor : IDataTransferRedactor
    {
        public string VendorId => "org.example";

        public string? Redact(string? messageId, string? data) => messageId == "Secret" ? "gone" : data;
    }

    private readonly OcppPayloadRedaction _redaction = new([new WholeDataRedactor()]);

    [Test]
    public void The_data_of_a_data_transfer_call_to_the_vendor_is_redacted() =>
        Assert.That(
            _redaction.RedactFrame("""[2,"1","DataTransfer",{"vendorId":"org.example","messageId":"Secret","data":"template"}]"""),
            Is.EqualTo("""[2,"1","DataTransfer",{"vendorId":"org.example","messageId":"Secret","data":"gone"}]"""));

    [Test]
    public void A_vendor_id_written_with_unicode_escapes_is_recognised() =>
        Assert.That(
            _redaction.RedactFrame("""[2,"1","DataTransfer",{"vendorId":"\u006frg.example","messageId":"Secret","data":"template"}]"""),
            Does.Not.Contain("template"));

    [Test]
    public void Data_that_is_not_a_string_is_redacted_as_well() =>
        Assert.That(
            _redaction.RedactFrame("""[2,"1","DataTransfer",{"vendorId":"org.example","messageId":"Secret","data":{"tpl":"template"}}]"""),
            Does.Not.Contain("template"));

    [TestCase("""[2,"1","DataTransfer",{"vendorId":"org.example","messageId":"Public","data":"kept"}]""", Description = "a message the vendor keeps")]
    [TestCase("""[2,"1","DataTransfer",{"vendorId":"org.other","messageId":"Secret","data":"kept"}]""", Description = "another vendor")]
    [TestCase("""[3,"1",{"status":"Accepted","data":"org.example"}]""", Description = "a CALLRESULT")]
    [TestCase("""[4,"1","GenericError","AuthorizationKey",{}]""", Description = "a CALLERROR")]
    [TestCase("""[2,"1","Heartbeat",{}]""", Description = "no vendor named")]
    [TestCase("""[2,"1","Authorize",{"idTag":"org.example"}]""", Description = "another action")]
    public void Other_frames_are_logged_as_they_are(string frame) => Assert.That(_redaction.RedactFrame(frame), Is.EqualTo(frame));

    [TestCase("""[2,"1","DataTransfer",{"vendorId":"org.example","data":"template" """, Description = "not JSON")]
    [TestCase("""[2,"1","DataTransfer",{"vendorId":"org.example","messageId":"Secret","data":"x","data":"template"}]""", Description = "a duplicated property")]
    public void A_frame_naming_the_vendor_that_cannot_be_read_is_withheld(string frame) =>
        Assert.That(_redaction.RedactFrame(frame), Is.EqualTo(OcppPayloadRedaction.WithheldFrame));

    [TestCase("AuthorizationKey")]
    [TestCase("AUTHORIZATIONKEY")]
    [TestCase("\\u0041uthorizationKey")]
    public void The_value_of_a_new_authorization_key_is_redacted(string key) =>
        Assert.That(
            _redaction.RedactFrame($$"""[2,"1","ChangeConfiguration",{"key":"{{key}}","value":"s3cret-passw0rd"}]"""),
            Does.Not.Contain("s3cret").And.Contain(OcppPayloadRedaction.Redacted));

    [Test]
    public void Another_configuration_key_keeps_its_value()
    {
        const string frame = """[2,"1","ChangeConfiguration",{"key":"HeartbeatInterval","value":"AuthorizationKey"}]""";
        Assert.That(_redaction.RedactFrame(frame), Is.EqualTo(frame));
    }

    [Test]
    public void A_configuration_answer_that_reveals_the_authorization_key_is_redacted()
    {
        const string answer = """{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"s3cret-passw0rd"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""";
        const string redacted = """{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"[redacted]"},{"key":"HeartbeatInterval","readonly":false,"value":"300"}]}""";
        Assert.That(_redaction.RedactFrame($"[3,\"1\",{answer}]"), Is.EqualTo($"[3,\"1\",{redacted}]"));
        Assert.That(_redaction.RedactResult(System.Text.Json.JsonDocument.Parse(answer).RootElement).GetRawText(), Is.EqualTo(redacted));
    }

    [Test]
    public void A_command_payload_is_redacted_like_its_frame()
    {
        var payload = System.Text.Json.JsonDocument.Parse("""{"key":"AuthorizationKey","value":"s3cret-passw0rd"}""").RootElement;
        Assert.That(_redaction.RedactCallPayload("ChangeConfiguration", payload), Is.EqualTo("""{"key":"AuthorizationKey","value":"[redacted]"}"""));
        var other = System.Text.Json.JsonDocument.Parse("""{"key":"HeartbeatInterval","value":"300"}""").RootElement;
        Assert.That(_redaction.RedactCallPayload("ChangeConfiguration", other), Is.EqualTo(other.GetRawText()));
    }

    [Test]
    public void A_command_payload_naming_a_property_twice_is_withheld()
    {
        var payload = System.Text.Json.JsonDocument.Parse("""{"key":"AuthorizationKey","value":"a","value":"s3cret"}""").RootElement;
        Assert.That(_redaction.RedactCallPayload("ChangeConfiguration", payload), Is.EqualTo(OcppPayloadRedaction.WithheldPayload));
    }

    [Test]
    public void Data_of_a_vendor_without_a_redactor_is_stored_as_received() =>
        Assert.That(_redaction.RedactDataTransferData("org.other", "Secret", "kept"), Is.EqualTo("kept"));
}
