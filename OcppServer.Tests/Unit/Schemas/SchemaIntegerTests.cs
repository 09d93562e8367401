using System.Text.Json;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary>
/// What "integer" means. Our schemas declare draft-07, where an integer is any number with a zero fractional part
/// (JSON Schema Validation draft-07 §6.1.1), so <c>1.0</c> and <c>1e2</c> pass the schema, as they did with JsonSchema.Net.
/// That is not a wrong type, so TypeConstraintViolation (OCPP-J 1.6 §4.2.3: "violates data type constraints") would
/// be wrong; our message types take only plain integers, though, so the handler answers PropertyConstraintViolation
/// ("a field contains an invalid value") — see <c>SchemaEndToEndTests</c>. A real fraction is a TypeConstraintViolation.
/// </summary>
public sealed class SchemaIntegerTests
{
    private static readonly OcppSchemaValidator Validator = new();
    private static readonly JsonSchemaNetOracle Oracle = new();

    [TestCase("1")]
    [TestCase("1.0")]
    [TestCase("1.000")]
    [TestCase("1e0")]
    [TestCase("1E2")]
    [TestCase("100e-2")]
    [TestCase("-0")]
    public void Number_with_a_zero_fraction_is_an_integer(string connectorId)
    {
        var payload = StatusNotification(connectorId);
        Assert.That(Validator.ValidateRequest("StatusNotification", payload), Is.Null);
        Assert.That(Oracle.Validate("ocpp16/StatusNotification", payload), Is.Null, "as JsonSchema.Net");
    }

    [TestCase("1.5")]
    [TestCase("1.0000000001")]
    [TestCase("15e-1")]
    public void Number_with_a_fraction_is_a_type_violation(string connectorId)
    {
        var payload = StatusNotification(connectorId);
        var expected = new SchemaViolation(OcppErrorCode.TypeConstraintViolation, "/connectorId: Value is \"number\" but should be \"integer\"");
        Assert.That(Validator.ValidateRequest("StatusNotification", payload), Is.EqualTo(expected));
        Assert.That(Oracle.Validate("ocpp16/StatusNotification", payload), Is.EqualTo(expected), "as JsonSchema.Net");
    }

    private static JsonElement StatusNotification(string connectorId) =>
        JsonDocument.Parse($$"""{"connectorId":{{connectorId}},"errorCode":"NoError","status":"Available"}""").RootElement;
}
