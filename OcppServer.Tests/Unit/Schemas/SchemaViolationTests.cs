using System.Text.Json;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>
/// The CALLERROR a schema violation is answered with (OCPP-J 1.6 §4.2.3): its code, and a description that names the
/// JSON location and says what is wrong, worded as JsonSchema.Net worded it.
/// </summary>
public sealed class SchemaViolationTests
{
    private const string Meter = """{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1"}]}""";

    private static readonly OcppSchemaValidator Validator = new();
    private static readonly JsonSchemaNetOracle Oracle = new();

    [TestCase("Heartbeat", """{"unexpected":1}""", OcppErrorCode.FormationViolation,
        "/unexpected: All values fail against the false schema", TestName = "additionalProperties")]
    [TestCase("MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1","x":2}]}]}""",
        OcppErrorCode.FormationViolation, "/meterValue/0/sampledValue/0/x: All values fail against the false schema", TestName = "additionalProperties nested")]
    [TestCase("BootNotification", "{}", OcppErrorCode.OccurenceConstraintViolation,
        """payload: Required properties ["chargePointVendor","chargePointModel"] are not present""", TestName = "required, all missing names in schema order")]
    [TestCase("MeterValues", """{"connectorId":1,"meterValue":[]}""", OcppErrorCode.OccurenceConstraintViolation,
        "/meterValue: Value should have at least 1 items", TestName = "minItems")]
    [TestCase("Authorize", """{"idTag":42}""", OcppErrorCode.TypeConstraintViolation,
        "/idTag: Value is \"integer\" but should be \"string\"", TestName = "type: integer for string")]
    [TestCase("Authorize", """{"idTag":1.0}""", OcppErrorCode.TypeConstraintViolation,
        "/idTag: Value is \"number\" but should be \"string\"", TestName = "type: number for string")]
    [TestCase("Authorize", "[]", OcppErrorCode.TypeConstraintViolation,
        "payload: Value is \"array\" but should be \"object\"", TestName = "type: the payload itself")]
    [TestCase("StatusNotification", """{"connectorId":1.5,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation,
        "/connectorId: Value is \"number\" but should be \"integer\"", TestName = "type: fraction for integer")]
    [TestCase("StatusNotification", """{"connectorId":null,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation,
        "/connectorId: Value is \"null\" but should be \"integer\"", TestName = "type: null")]
    [TestCase("Authorize", """{"idTag":"123456789012345678901"}""", OcppErrorCode.PropertyConstraintViolation,
        "/idTag: Value should be at most 20 characters", TestName = "maxLength")]
    [TestCase("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Exploded"}""", OcppErrorCode.PropertyConstraintViolation,
        "/status: Value should match one of the values specified by the enum", TestName = "enum")]
    [TestCase("StatusNotification", """{"connectorId":-1,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.PropertyConstraintViolation,
        "/connectorId: -1 should be at least 0", TestName = "minimum")]
    [TestCase("StatusNotification", """{"connectorId":-1E+0,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.PropertyConstraintViolation,
        "/connectorId: -1E+0 should be at least 0", TestName = "minimum quotes the number as written")]
    [TestCase("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"yesterday"}""", OcppErrorCode.PropertyConstraintViolation,
        "/timestamp: Value does not match format \"date-time\"", TestName = "format date-time")]
    public void Violation_is_answered_with(string action, string payload, string code, string description)
    {
        Assert.That(Validator.ValidateRequest(action, Json(payload)), Is.EqualTo(new SchemaViolation(code, description)));
        Assert.That(Oracle.Validate("ocpp16/" + action, Json(payload)), Is.EqualTo(new SchemaViolation(code, description)), "as JsonSchema.Net");
    }

    [TestCase("""{"connectorId":0,"vin":""}""", "/connectorId: 0 should be at least 1", TestName = "vendor minimum")]
    [TestCase("""{"connectorId":3000000000,"vin":"x"}""", "/connectorId: 3000000000 should be at most 2147483647", TestName = "vendor maximum")]
    [TestCase("""{"connectorId":1,"vin":""}""", "/vin: Value should be at least 1 characters", TestName = "vendor minLength")]
    public void Vendor_violation_is_answered_with(string document, string description) =>
        Assert.That(Validator.ValidateVendor("VehicleIdentification", Json(document)),
            Is.EqualTo(new SchemaViolation(OcppErrorCode.PropertyConstraintViolation, description)));

    [Test]
    public void MultipleOf_and_uri_are_checked_on_what_we_send()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validator.ValidateRequest("SetChargingProfile", Json("""
                {"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute",
                 "chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":10.3},{"startPeriod":60,"limit":10.05}]}}}
                """)), Is.EqualTo(new SchemaViolation(OcppErrorCode.PropertyConstraintViolation,
                "/csChargingProfiles/chargingSchedule/chargingSchedulePeriod/1/limit: 10.05 should be a multiple of 0.1")));
            Assert.That(Validator.ValidateRequest("GetDiagnostics", Json("""{"location":"not a uri"}""")),
                Is.EqualTo(new SchemaViolation(OcppErrorCode.PropertyConstraintViolation, "/location: Value does not match format \"uri\"")));
            Assert.That(Validator.ValidateRequest("GetDiagnostics", Json("""{"location":"ftp://user:secret@example.com/upload"}""")), Is.Null);
        }
    }

    // The most fundamental problem wins: unknown property, then missing one, then wrong type, then bad value; among
    // problems of one kind, the one nearest the top of the payload, then the first in the schema's property order.
    [TestCase("StatusNotification", """{"connectorId":"1","errorCode":5,"status":"Exploded","info":7}""",
        "/connectorId: Value is \"string\" but should be \"integer\"", TestName = "two type errors: schema order, not payload order")]
    [TestCase("StatusNotification", """{"status":"Exploded","info":7,"connectorId":"1","errorCode":"NoError"}""",
        "/connectorId: Value is \"string\" but should be \"integer\"", TestName = "schema order whatever the payload order")]
    [TestCase("MeterValues", $$"""{"meterValue":[{"sampledValue":[{}]}],"connectorId":1}""",
        """/meterValue/0: Required properties ["timestamp"] are not present""", TestName = "the shallower missing field")]
    [TestCase("MeterValues", $$"""{"meterValue":[{"sampledValue":[{"value":1}],"timestamp":"2025-01-01T00:00:00Z"},{"sampledValue":[{}]}],"connectorId":"x"}""",
        """/meterValue/1: Required properties ["timestamp"] are not present""", TestName = "missing outranks a wrong type above it")]
    [TestCase("MeterValues", $$"""{"connectorId":1,"meterValue":[{{Meter}}],"zzz":0,"aaa":1}""",
        "/zzz: All values fail against the false schema", TestName = "unknown properties: payload order")]
    [TestCase("MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","yyy":0,"sampledValue":[{"value":"1","x":2}]}],"zzz":0}""",
        "/zzz: All values fail against the false schema", TestName = "unknown properties: the shallowest")]
    [TestCase("BootNotification", """{"chargePointModel":"M","extra":true}""",
        "/extra: All values fail against the false schema", TestName = "an unknown property outranks a missing one")]
    public void Most_fundamental_problem_is_reported(string action, string payload, string description)
    {
        Assert.That(Validator.ValidateRequest(action, Json(payload))?.Description, Is.EqualTo(description));
        Assert.That(Oracle.Validate("ocpp16/" + action, Json(payload))?.Description, Is.EqualTo(description), "as JsonSchema.Net");
    }

    [TestCase("""{"a/b~c":1}""", "/a~1b~0c: All values fail against the false schema", TestName = "JSON Pointer escapes / and ~")]
    [TestCase("""{"\u00e9":1}""", "/é: All values fail against the false schema", TestName = "escaped name, reported unescaped")]
    [TestCase("""{"":1}""", "/: All values fail against the false schema", TestName = "empty name")]
    public void Location_is_a_json_pointer(string payload, string description) =>
        Assert.That(Validator.ValidateRequest("Heartbeat", Json(payload))?.Description, Is.EqualTo(description));

    [Test]
    public void A_repeated_name_is_refused_whichever_value_comes_first()
    {
        // RFC 8259 leaves the meaning open: a schema could check one value and a handler read the other.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validator.ValidateRequest("StatusNotification", Json("""{"connectorId":1,"connectorId":"x","errorCode":"NoError","status":"Available"}""")),
                Is.EqualTo(new SchemaViolation(OcppErrorCode.FormationViolation, "payload: property \"connectorId\" is named twice")));
            Assert.That(Validator.ValidateRequest("StatusNotification", Json("""{"connectorId":"x","connectorId":1,"errorCode":"NoError","status":"Available"}"""))?.ErrorCode,
                Is.EqualTo(OcppErrorCode.FormationViolation));
            Assert.That(Validator.ValidateRequest("StatusNotification", Json("""{"connectorId":1,"connector\u0049d":2,"errorCode":"NoError","status":"Available"}"""))?.ErrorCode,
                Is.EqualTo(OcppErrorCode.FormationViolation), "the same name, escaped");
            Assert.That(Validator.ValidateRequest("MeterValues", Json("""{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1","value":"2"}]}]}""")),
                Is.EqualTo(new SchemaViolation(OcppErrorCode.FormationViolation, "/meterValue/0/sampledValue/0: property \"value\" is named twice")));
        }
    }

    [Test]
    public void Escapes_in_names_and_values_are_read_as_their_characters() =>
        Assert.That(Validator.ValidateRequest("StatusNotification", Json("""{"connector\u0049d":1,"errorCode":"No\u0045rror","status":"Available"}""")), Is.Null);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
