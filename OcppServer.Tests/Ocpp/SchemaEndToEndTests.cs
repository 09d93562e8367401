using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Ocpp;

/// <summary>
/// Payloads that pass the schema but that our message types cannot hold: the CALLERROR comes from the handler, and the
/// connection goes on.
/// </summary>
public sealed class SchemaEndToEndTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    // 1.0 is an integer for the (draft-07) schema, so not a TypeConstraintViolation; our int fields take only plain
    // integers, which makes it an invalid value: PropertyConstraintViolation (OCPP-J 1.6 §4.2.3).
    [TestCase("StatusNotification", """{"connectorId":1.0,"errorCode":"NoError","status":"Available"}""", TestName = "1.0 for an integer")]
    [TestCase("StatusNotification", """{"connectorId":1e0,"errorCode":"NoError","status":"Available"}""", TestName = "1e0 for an integer")]
    // RFC 3339 allows year 0000, DateTimeOffset does not (JsonSchema.Net threw while validating it).
    [TestCase("StartTransaction", """{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"0000-01-01T00:00:00Z"}""", TestName = "year 0000")]
    public async Task Schema_valid_value_our_types_cannot_hold_is_a_property_constraint_violation(string action, string payload)
    {
        await using var client = await _server.ConnectBootedAsync(TestIds.Next("E2E"));

        await client.SendRawAsync($$"""[2,"x-1","{{action}}",{{payload}}]""");
        var reply = await client.NextReplyAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.MessageType, Is.EqualTo(4), reply.Text);
            Assert.That(reply.ErrorCode, Is.EqualTo("PropertyConstraintViolation"), reply.Text);
        }

        await client.AssertUsableAsync();
    }
}
