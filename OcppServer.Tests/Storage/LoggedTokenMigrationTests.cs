using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Migration 0006: BiometricTokens logged in clear by earlier versions are redacted when the server starts.</summary>
public sealed class LoggedTokenMigrationTests
{
    private const string Migration = "0006_redact_logged_biometric_tokens";
    private const string Token = "eyJhbGciOiJFUzI1NiJ9.eyJ0cGwiOiJURU1QTEFURSJ9.c2lnbmF0dXJl";

    [Test]
    public async Task Tokens_logged_in_clear_by_an_earlier_version_are_redacted_at_start_up()
    {
        await using var server = await TestServer.StartAsync();
        await InsertDataTransferAsync(server, "BiometricToken", JsonSerializer.Serialize(new { connectorId = 2, token = Token }));
        await InsertDataTransferAsync(server, "BiometricToken", Token);
        await InsertDataTransferAsync(server, "VehicleIdentification", """{"connectorId":1,"vin":"WVWZZZ1JZXW000001"}""");
        await InsertFrameAsync(server, $$"""[2,"7","DataTransfer",{"vendorId":"org.ocppauth","messageId":"BiometricToken","data":"{\"token\":\"{{Token}}\"}"}]""");
        await InsertFrameAsync(server, """[2,"8","Heartbeat",{}]""");
        await server.QueryDatabaseAsync("DELETE FROM schema_migrations WHERE version = @version", ("@version", Migration));

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
        var applied = await server.QueryDatabaseAsync("SELECT version FROM schema_migrations WHERE version = @version", ("@version", Migration));
        Assert.That(applied, Has.Count.EqualTo(1));
    }

    private static Task InsertDataTransferAsync(TestServer server, string messageId, string data) =>
        server.QueryDatabaseAsync(
            """
            INSERT INTO data_transfers (charge_point_id, vendor_id, message_id, data, status, received_at)
            VALUES ('MIGRATED', 'org.ocppauth', @messageId, @data, 'Accepted', '2026-01-01T00:00:00.000Z')
            """, ("@messageId", messageId), ("@data", data));

    private static Task InsertFrameAsync(TestServer server, string frame) =>
        server.QueryDatabaseAsync(
            "INSERT INTO message_log (charge_point_id, direction, frame, logged_at) VALUES ('MIGRATED', 'In', @frame, '2026-01-01T00:00:00.000Z')",
            ("@frame", frame));
}
