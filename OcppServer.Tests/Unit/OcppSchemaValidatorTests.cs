using System.Text.Json;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit;

/// <summary>How schema violations map to OCPP-J CALLERROR codes (OCPP-J 1.6 §4.2.3).</summary>
public sealed class OcppSchemaValidatorTests
{
    private static readonly OcppSchemaValidator Validator = new();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Test]
    public void Knows_all_28_OCPP_16_actions_and_the_11_of_the_security_whitepaper()
    {
        Assert.That(Validator.Actions.Count(), Is.EqualTo(39));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validator.HasAction("BootNotification"), Is.True);
            Assert.That(Validator.HasAction("UpdateFirmware"), Is.True);
            Assert.That(Validator.HasAction("SecurityEventNotification"), Is.True);
            foreach (string action in new[]
            {
                "SignCertificate", "CertificateSigned", "InstallCertificate", "DeleteCertificate", "GetInstalledCertificateIds", "ExtendedTriggerMessage",
                "SignedUpdateFirmware", "SignedFirmwareStatusNotification", "GetLog", "LogStatusNotification",
            })
            {
                Assert.That(Validator.HasAction(action), Is.True, action);
            }

            Assert.That(Validator.HasAction("BootNotificationResponse"), Is.False, "a response schema is not an action");
            Assert.That(Validator.HasAction("FooBar"), Is.False);
            Assert.That(Validator.HasAction("bootnotification"), Is.False, "action names are case-sensitive");
        }
    }

    [Test]
    public void Valid_payloads_pass()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validator.ValidateRequest("BootNotification", Json("""{"chargePointVendor":"V","chargePointModel":"M"}""")), Is.Null);
            Assert.That(Validator.ValidateRequest("Heartbeat", Json("{}")), Is.Null);
            Assert.That(Validator.ValidateResponse("Heartbeat", Json("""{"currentTime":"2025-01-01T00:00:00.000Z"}""")), Is.Null);
            Assert.That(Validator.ValidateRequest("MeterValues",
                Json("""{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1"}]}]}""")), Is.Null);
        }
    }

    [TestCase("Heartbeat", """{"unexpected":1}""", OcppErrorCode.FormationViolation, TestName = "additionalProperties at the top -> FormationViolation")]
    [TestCase("MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2025-01-01T00:00:00Z","sampledValue":[{"value":"1","x":2}]}]}""",
        OcppErrorCode.FormationViolation, TestName = "additionalProperties nested -> FormationViolation")]
    [TestCase("BootNotification", """{"chargePointVendor":"V"}""", OcppErrorCode.OccurenceConstraintViolation, TestName = "required missing -> OccurenceConstraintViolation")]
    [TestCase("MeterValues", """{"connectorId":1,"meterValue":[]}""", OcppErrorCode.OccurenceConstraintViolation, TestName = "minItems -> OccurenceConstraintViolation")]
    [TestCase("Authorize", """{"idTag":42}""", OcppErrorCode.TypeConstraintViolation, TestName = "string expected -> TypeConstraintViolation")]
    [TestCase("StatusNotification", """{"connectorId":"1","errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation, TestName = "integer expected -> TypeConstraintViolation")]
    [TestCase("StatusNotification", """{"connectorId":1.5,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation, TestName = "fraction for integer -> TypeConstraintViolation")]
    [TestCase("Authorize", """{"idTag":"123456789012345678901"}""", OcppErrorCode.PropertyConstraintViolation, TestName = "maxLength -> PropertyConstraintViolation")]
    [TestCase("StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Exploded"}""", OcppErrorCode.PropertyConstraintViolation, TestName = "enum -> PropertyConstraintViolation")]
    [TestCase("StatusNotification", """{"connectorId":-1,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.PropertyConstraintViolation, TestName = "minimum -> PropertyConstraintViolation")]
    [TestCase("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"yesterday"}""", OcppErrorCode.PropertyConstraintViolation, TestName = "date-time format -> PropertyConstraintViolation")]
    [TestCase("BootNotification", """{"chargePointModel":"M","extra":true}""", OcppErrorCode.FormationViolation, TestName = "additionalProperties outranks a missing field")]
    [TestCase("StatusNotification", """{"connectorId":"1","status":"Exploded"}""", OcppErrorCode.OccurenceConstraintViolation, TestName = "missing field outranks type and enum")]
    [TestCase("StatusNotification", """{"connectorId":"1","errorCode":"NoError","status":"Exploded"}""", OcppErrorCode.TypeConstraintViolation, TestName = "type outranks enum")]
    public void Violation_maps_to_error_code(string action, string payload, string expectedCode)
    {
        var violation = Validator.ValidateRequest(action, Json(payload));

        Assert.That(violation, Is.Not.Null);
        Assert.That(violation!.ErrorCode, Is.EqualTo(expectedCode), violation.Description);
        Assert.That(violation.Description, Is.Not.Empty);
    }

    [Test]
    public void Description_names_the_offending_location()
    {
        var violation = Validator.ValidateRequest("StatusNotification", Json("""{"connectorId":1,"errorCode":"NoError","status":"Exploded"}"""));

        Assert.That(violation?.Description, Does.Contain("/status"));
    }

    [Test]
    public void Responses_are_checked_against_the_response_schema()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validator.ValidateResponse("Reset", Json("""{"status":"Accepted"}""")), Is.Null);
            Assert.That(Validator.ValidateResponse("Reset", Json("""{"status":"Maybe"}"""))?.ErrorCode, Is.EqualTo(OcppErrorCode.PropertyConstraintViolation));
            Assert.That(Validator.ValidateResponse("Reset", Json("{}"))?.ErrorCode, Is.EqualTo(OcppErrorCode.OccurenceConstraintViolation));
        }
    }

    [Test]
    public void Vendor_documents_have_their_own_schemas()
    {
        Assert.Throws<InvalidOperationException>(() => Validator.ValidateVendor("NoSuchDocument", Json("{}")));
    }

    [Test]
    public void Unknown_action_throws()
    {
        Assert.Throws<InvalidOperationException>(() => Validator.ValidateRequest("FooBar", Json("{}")));
    }
}
