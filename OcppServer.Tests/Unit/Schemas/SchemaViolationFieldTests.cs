using OcppServer.Ocpp.Validation;

namespace OcppServer.Tests.Unit.Schemas;

/// <summary><see cref="SchemaViolation.Field"/>: the top-level property a violation names, for a form to show it next to.</summary>
public sealed class SchemaViolationFieldTests
{
    private static readonly OcppSchemaValidator Validator = new();

    private static string? FieldOf(string action, string payload) =>
        Validator.ValidateRequest(action, System.Text.Json.JsonDocument.Parse(payload).RootElement)?.Field;

    [Test]
    public void A_wrong_type_names_its_property() =>
        Assert.That(FieldOf("UnlockConnector", """{"connectorId":"one"}"""), Is.EqualTo("connectorId"));

    [Test]
    public void A_missing_property_is_named() =>
        Assert.That(FieldOf("RemoteStartTransaction", """{"connectorId":1}"""), Is.EqualTo("idTag"));

    [Test]
    public void A_nested_problem_names_the_top_level_property() =>
        Assert.That(FieldOf("RemoteStartTransaction", """{"idTag":"A","chargingProfile":{"chargingProfileId":"x"}}"""), Is.EqualTo("chargingProfile"));

    [Test]
    public void A_problem_of_the_whole_payload_names_none()
    {
        Assert.That(new SchemaViolation("FormationViolation", "payload: property \"connectorId\" is named twice").Field, Is.Null);
        Assert.That(new SchemaViolation("FormationViolation", "Payload does not conform to the schema").Field, Is.Null);
    }

    [Test]
    public void An_escaped_pointer_segment_is_unescaped() =>
        Assert.That(new SchemaViolation("TypeConstraintViolation", "/a~1b~0c: Value is \"string\"").Field, Is.EqualTo("a/b~c"));
}
