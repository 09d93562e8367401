using System.Net.Http.Json;
using System.Text.Json;
using OcppServer.ChargePoints;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>Reads of the back-office API the simulator tests assert on.</summary>
internal static class ServerApi
{
    public static async Task<JsonElement> ChargePointAsync(this TestServer server, string id) =>
        await server.Api.GetFromJsonAsync<JsonElement>($"/api/chargepoints/{Uri.EscapeDataString(id)}");

    public static async Task<JsonElement[]> TransactionsAsync(this TestServer server, string chargePointId) =>
        (await server.Api.GetFromJsonAsync<JsonElement>($"/api/transactions?chargePointId={Uri.EscapeDataString(chargePointId)}"))
        .EnumerateArray().ToArray();

    /// <summary>Sends a command through <c>POST /api/chargepoints/{id}/commands/{action}</c> and returns the charger's answer.</summary>
    public static async Task<JsonElement> CommandAsync(this TestServer server, string chargePointId, string action, object payload)
    {
        using var response = await server.Api.PostAsJsonAsync($"/api/chargepoints/{Uri.EscapeDataString(chargePointId)}/commands/{action}", payload);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{action}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string Status(this JsonElement element) => element.GetProperty("status").GetString()!;

    public static string? ConnectorStatus(this JsonElement chargePoint, int connectorId) =>
        chargePoint.GetProperty("connectors").EnumerateArray()
            .Where(c => c.GetProperty("connectorId").GetInt32() == connectorId)
            .Select(c => c.GetProperty("status").GetString())
            .FirstOrDefault();
}
