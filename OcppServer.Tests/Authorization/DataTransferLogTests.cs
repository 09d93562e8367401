using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Authorization;

/// <summary>
/// Every DataTransfer is logged once, with the status it was answered; those of org.ocppauth that store evidence are
/// logged by the evidence's own commit. Real server, real WebSocket.
/// </summary>
public sealed class DataTransferLogTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Each_data_transfer_is_logged_once_with_the_status_it_was_answered()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "dtlog");
        string token = s.GenuineToken();
        var answers = new List<string>
        {
            Status(await s.SendVinAsync()),
            Status(await s.SendVinAsync(vin: "NOT-A-VIN")),
            Status(await s.SendTokenAsync(token)),
            Status(await s.SendTokenAsync(token)), // replayed
            Status(await s.SendTokenAsync("not.a.token")),
            Status(await SendAsync(s, "BiometricToken", "not json")),
            Status(await SendAsync(s, "SomethingElse", "{}")),
        };
        Assert.That(answers, Is.EqualTo(new[] { "Accepted", "Rejected", "Accepted", "Rejected", "Rejected", "Rejected", "UnknownMessageId" }));

        var logged = await _server.QueryDatabaseAsync(
            "SELECT message_id, status FROM data_transfers WHERE charge_point_id = @cp ORDER BY id", ("@cp", s.ChargePointId));
        Assert.That(logged.Select(r => $"{r["message_id"]}:{r["status"]}"), Is.EqualTo(new[]
        {
            "VehicleIdentification:Accepted", "VehicleIdentification:Rejected", "BiometricToken:Accepted", "BiometricToken:Rejected",
            "BiometricToken:Rejected", "BiometricToken:Rejected", "SomethingElse:UnknownMessageId",
        }));
    }

    private static string Status(JsonElement answer) => answer.GetProperty("status").GetString()!;

    private static Task<JsonElement> SendAsync(LayeredScenario s, string messageId, string data) =>
        s.Client.CallResultAsync("DataTransfer", new { vendorId = "org.ocppauth", messageId, data });
}
