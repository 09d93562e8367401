using System.Buffers.Text;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Authorization;

/// <summary>
/// A BiometricToken carries the captured template, which is never stored in clear: not in the DataTransfer log, not in
/// the raw message log, not anywhere in the database. Real server with the message log on, real WebSocket.
/// </summary>
public sealed class BiometricTokenRedactionTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Ocpp:MessageLog:Enabled"] = "true",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task The_data_transfer_log_keeps_a_biometric_token_message_without_its_token()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "redact1");
        await s.SendVinAsync();
        var answer = await s.SendTokenAsync(s.GenuineToken());
        Assert.That(answer.GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        var rows = await _server.QueryDatabaseAsync(
            "SELECT message_id, data, status FROM data_transfers WHERE charge_point_id = @cp ORDER BY id", ("@cp", s.ChargePointId));
        var biometric = rows.Single(r => (string?)r["message_id"] == "BiometricToken");
        Assert.That(biometric["data"], Is.EqualTo("""{"connectorId":1,"token":"[redacted]"}"""));
        Assert.That(biometric["status"], Is.EqualTo("Accepted"));
        var vin = rows.Single(r => (string?)r["message_id"] == "VehicleIdentification");
        Assert.That((string?)vin["data"], Does.Contain(s.Vin), "only the biometric token is redacted");
    }

    [Test]
    public async Task Neither_the_template_nor_the_token_is_anywhere_in_the_database()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "redact2");
        string token = s.GenuineToken();
        string claims = token.Split('.')[1];
        string template = JsonDocument.Parse(Base64Url.DecodeFromChars(claims)).RootElement.GetProperty("tpl").GetString()!;
        Assert.That((await s.SendTokenAsync(token)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        // The same token again is a replay (refused), and one in data that is not a JSON object is invalid: neither is kept either.
        Assert.That((await s.SendTokenAsync(token)).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
        await s.Client.CallResultAsync("DataTransfer", new { vendorId = "org.ocppauth", messageId = "BiometricToken", data = token });

        await Eventually.UntilAsync(
            () => _server.QueryDatabaseAsync(
                "SELECT frame FROM message_log WHERE charge_point_id = @cp AND direction = 'In' AND frame LIKE '%BiometricToken%'", ("@cp", s.ChargePointId)),
            frames => frames.Count == 3, "the three BiometricToken frames are in the message log");

        var places = await PlacesContainingAsync(claims, template);
        Assert.That(places, Is.Empty, "tables and columns holding the token's claims or its template");
        var frames = await _server.QueryDatabaseAsync(
            "SELECT frame FROM message_log WHERE charge_point_id = @cp AND frame LIKE '%BiometricToken%'", ("@cp", s.ChargePointId));
        Assert.That(frames.Count(f => ((string)f["frame"]!).Contains("[redacted]")), Is.EqualTo(2), "the two JSON-object data kept without the token");
    }

    /// <summary>Every table.column of the database with a text value containing any of <paramref name="needles"/>.</summary>
    private async Task<List<string>> PlacesContainingAsync(params string[] needles)
    {
        var places = new List<string>();
        var tables = await _server.QueryDatabaseAsync(TestServer.OnPostgreSql
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table'");
        foreach (string table in tables.Select(t => (string)t["name"]!))
        {
            // Table names come from the database's own catalogue, not from input; quoted as identifiers.
            foreach (var row in await _server.QueryDatabaseAsync($"SELECT * FROM \"{table.Replace("\"", "\"\"")}\""))
            {
                places.AddRange(row
                    .Where(cell => cell.Value is string text && needles.Any(n => text.Contains(n, StringComparison.Ordinal)))
                    .Select(cell => $"{table}.{cell.Key}"));
            }
        }

        return places;
    }
}
