using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Migrations 0006-0008: biometric tokens and charge point passwords logged in clear by earlier versions are redacted at start-up.</summary>
public sealed class LoggedSecretsMigrationTests
{
    private const string TokenMigration = "0006_redact_logged_biometric_tokens";
    private const string KeyMigration = "0007_redact_logged_authorization_keys";
    private const string AnswerMigration = "0008_redact_logged_configuration_answers";
    private const string Token = "eyJhbGciOiJFUzI1NiJ9.eyJ0cGwiOiJURU1QTEFURSJ9.c2lnbmF0dXJl";

    [Test]
    public async Task Tokens_logged_in_clear_by_an_earlier_version_are_redacted_at_start_up()
    {
        TestServer.RequireSqlite(); // a SQLite migration run again; a PostgreSQL database never held clear text
        await using var server = await TestServer.StartAsync();
        await InsertDataTransferAsync(server, "BiometricToken", JsonSerializer.Serialize(new { connectorId = 2, token = Token }));
        await InsertDataTransferAsync(server, "BiometricToken", Token);
        await InsertDataTransferAsync(server, "VehicleIdentification", """{"connectorId":1,"vin":"WVWZZZ1JZXW000001"}""");
        await InsertFrameAsync(server, $$"""[2,"7","DataTransfer",{"vendorId":"org.ocppauth","messageId":"BiometricToken","data":"{\"token\":\"{{Token}}\"}"}]""");
        await InsertFrameAsync(server, """[2,"8","Heartbeat",{}]""");
        await server.QueryDatabaseAsync("DELETE FROM schema_migrations WHERE version = @version", ("@version", TokenMigration));

        await server.RestartAsync();

        var data = await server.QueryDatabaseAsync("SELECT message_id, data FROM data_transfers WHERE charge_point_id = 'MIGRATED' ORDER BY id");
        Assert.That(data.Select(r => r["data"]), Is.EqualTo(new object?[]
        {
            """{"connectorId":2,"token":"[redacted]"}""",
            null,
            """{"connectorId":1,"vin":"WVWZZZ1JZXW000001"}""",
        }));
        var frames = await server.QueryDatabaseAsync("SELECT frame FROM message_log WHERE charge_point_id = 'MIGRATED' ORDER BY id");
        Assert.That((string)frames[0]["frame"]!, Does.Not.Contain(Token).And.StartWith("[frame withheld"));
        Assert.That(frames[1]["frame"], Is.EqualTo("""[2,"8","Heartbeat",{}]"""));
        var applied = await server.QueryDatabaseAsync("SELECT version FROM schema_migrations WHERE version = @version", ("@version", TokenMigration));
        Assert.That(applied, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Authorization_keys_recorded_in_clear_by_an_earlier_version_are_redacted_at_start_up()
    {
        TestServer.RequireSqlite(); // a SQLite migration run again; a PostgreSQL database never held clear text
        await using var server = await TestServer.StartAsync();
        await InsertCommandAsync(server, "ChangeConfiguration", """{"key":"AuthorizationKey","value":"s3cret-passw0rd-long"}""");
        await InsertCommandAsync(server, "ChangeConfiguration", """{"key":"authorizationKEY","value":"s3cret-passw0rd-long"}""");
        await InsertCommandAsync(server, "ChangeConfiguration", """{"key":"HeartbeatInterval","value":"300"}""");
        await InsertCommandAsync(server, "DataTransfer", """{"vendorId":"x","messageId":"AuthorizationKey","data":"kept"}""");
        await InsertFrameAsync(server, """[2,"9","ChangeConfiguration",{"key":"AuthorizationKey","value":"s3cret-passw0rd-long"}]""");
        await InsertCommandAsync(server, "GetConfiguration", "{}",
            """{"configurationKey":[{"key":"AuthorizationKey","readonly":false,"value":"s3cret-passw0rd-long"}]}""");
        await server.QueryDatabaseAsync(
            "DELETE FROM schema_migrations WHERE version IN (@key, @answer)", ("@key", KeyMigration), ("@answer", AnswerMigration));

        await server.RestartAsync();

        var requests = await server.QueryDatabaseAsync("SELECT request FROM commands WHERE charge_point_id = 'MIGRATED' ORDER BY id");
        Assert.That(requests.Select(r => r["request"]), Is.EqualTo(new object?[]
        {
            """{"key":"AuthorizationKey","value":"[redacted]"}""",
            """{"key":"authorizationKEY","value":"[redacted]"}""",
            """{"key":"HeartbeatInterval","value":"300"}""",
            """{"vendorId":"x","messageId":"AuthorizationKey","data":"kept"}""",
            "{}",
        }));
        var answers = await server.QueryDatabaseAsync("SELECT response FROM commands WHERE charge_point_id = 'MIGRATED' ORDER BY id");
        Assert.That(answers.Select(r => (string)r["response"]!), Has.None.Contains("s3cret"));
        Assert.That((string)answers[^1]["response"]!, Does.Contain("withheld"));
        var frames = await server.QueryDatabaseAsync("SELECT frame FROM message_log WHERE charge_point_id = 'MIGRATED'");
        Assert.That((string)frames.Single()["frame"]!, Does.Not.Contain("s3cret").And.StartWith("[frame withheld"));
    }

    // Times are stored as epoch milliseconds: 1767225600000 is 2026-01-01T00:00:00Z.
    private static Task InsertCommandAsync(TestServer server, string action, string request, string response = """{"status":"Accepted"}""") =>
        server.QueryDatabaseAsync(
            """
            INSERT INTO commands (charge_point_id, action, request, response, outcome, sent_at, completed_at)
            VALUES ('MIGRATED', @action, @request, @response, 'Completed', 1767225600000, 1767225601000)
            """, ("@action", action), ("@request", request), ("@response", response));

    private static Task InsertDataTransferAsync(TestServer server, string messageId, string data) =>
        server.QueryDatabaseAsync(
            """
            INSERT INTO data_transfers (charge_point_id, vendor_id, message_id, data, status, received_at)
            VALUES ('MIGRATED', 'org.ocppauth', @messageId, @data, 'Accepted', 1767225600000)
            """, ("@messageId", messageId), ("@data", data));

    private static Task InsertFrameAsync(TestServer server, string frame) =>
        server.QueryDatabaseAsync(
            "INSERT INTO message_log (charge_point_id, direction, frame, logged_at) VALUES ('MIGRATED', 'In', @frame, 1767225600000)",
            ("@frame", frame));
}
