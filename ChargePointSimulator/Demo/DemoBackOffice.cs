using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChargePointSimulator.Demo;

/// <summary>A stored decision of <c>GET /api/authorizations</c>.</summary>
public sealed record DemoDecision(string Phase, string Result, string Reason, string IdTag, int? ConnectorId, long? TransactionId, JsonElement Factors)
{
    public string FactorSummary => string.Join(", ", Factors.EnumerateArray()
        .Where(f => f.GetProperty("required").GetBoolean())
        .Select(f => $"{f.GetProperty("factor").GetString()}={(f.GetProperty("ok").GetBoolean() ? "ok" : "FAIL")}:{f.GetProperty("reason").GetString()}"
            + (f.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? $"({s.GetDouble():0.000})" : "")));
}

/// <summary>The back-office API calls of the demo (X-Api-Key, JSON); any unexpected status throws with the problem text.</summary>
public sealed class DemoBackOffice(HttpClient api)
{
    public HttpClient Http => api;

    public Task CreateStationAsync(string id, string name, object policy, CancellationToken ct) =>
        PostAsync("/api/stations", new { id, name, policy }, ct);

    /// <summary>Replaces a station's policy overrides (<c>PUT /api/stations/{id}/policy</c>).</summary>
    public async Task SetStationPolicyAsync(string id, object policy, CancellationToken ct)
    {
        using var response = await api.PutAsJsonAsync($"/api/stations/{Uri.EscapeDataString(id)}/policy", policy, ct);
        await EnsureAsync(response, "PUT station policy", ct);
    }

    /// <summary>A plate typed in by the attendant at the entrance; returns the pre-verification record (with its verdict).</summary>
    public Task<JsonElement> AttendantPreVerificationAsync(string stationId, string plate, CancellationToken ct) =>
        PostAsync($"/api/stations/{Uri.EscapeDataString(stationId)}/preverifications", new { plate }, ct);

    /// <summary>Registers a charge point with its AuthorizationKey; without a station it is decided as the server's default says.</summary>
    public Task RegisterChargePointAsync(string id, string? stationId, string password, CancellationToken ct) =>
        PostAsync("/api/chargepoints", new { id, stationId, password }, ct);

    /// <summary>Registers a charge point of a security profile (3: no password, its client certificate admits it).</summary>
    public Task RegisterChargePointAsync(string id, string? stationId, string? password, int securityProfile, CancellationToken ct) =>
        PostAsync("/api/chargepoints", new { id, stationId, password, securityProfile }, ct);

    /// <summary>The security events of a charge point, newest first (<c>GET /api/security-events</c>).</summary>
    public Task<JsonElement> SecurityEventsAsync(string chargePointId, CancellationToken ct) =>
        GetAsync($"/api/security-events?chargePointId={Uri.EscapeDataString(chargePointId)}", ct);

    /// <summary>The operator rejects a charge point (<c>POST /api/chargepoints/{id}/reject</c>).</summary>
    public Task RejectChargePointAsync(string id, CancellationToken ct) => PostAsync($"/api/chargepoints/{Uri.EscapeDataString(id)}/reject", new { }, ct);

    /// <summary>Sets the charge point's Basic-auth password (<c>PUT /api/chargepoints/{id}/password</c>).</summary>
    public async Task SetChargePointPasswordAsync(string id, string password, CancellationToken ct)
    {
        using var response = await api.PutAsJsonAsync($"/api/chargepoints/{Uri.EscapeDataString(id)}/password", new { password }, ct);
        await EnsureAsync(response, "PUT charge point password", ct);
    }

    /// <summary>Registers a camera; returns its key (shown once).</summary>
    public async Task<string> CreateCameraAsync(string id, string stationId, CancellationToken ct) =>
        (await PostAsync("/api/cameras", new { id, stationId }, ct)).GetProperty("key").GetString()!;

    public async Task<string> CreateDriverAsync(string name, string idTag, CancellationToken ct) =>
        (await PostAsync("/api/drivers", new { name, idTags = new[] { idTag } }, ct)).GetProperty("id").GetString()!;

    public Task EnrollFaceAsync(string driverId, ReadOnlySpan<float> template, CancellationToken ct)
    {
        var bytes = new byte[template.Length * 4];
        for (int i = 0; i < template.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), template[i]);
        }

        return PostAsync($"/api/drivers/{driverId}/biometrics", new { modality = "face", template = Convert.ToBase64String(bytes) }, ct);
    }

    public async Task<string> CreateVehicleAsync(string vin, string plate, string ownerDriverId, CancellationToken ct) =>
        (await PostAsync("/api/vehicles", new { vin, plate, ownerDriverId, authorizedDriverIds = Array.Empty<string>() }, ct))
        .GetProperty("id").GetString()!;

    public Task BlockVehicleAsync(string vehicleId, CancellationToken ct) => PostAsync($"/api/vehicles/{vehicleId}/block", new { }, ct);

    /// <summary>Registers an id tag of its own (e.g. a group that other tags name as their parentIdTag).</summary>
    public Task CreateIdTagAsync(string idTag, string status, CancellationToken ct) => PostAsync("/api/idtags", new { idTag, status }, ct);

    /// <summary>Puts an (Accepted) id tag into a group: <c>PUT /api/idtags/{idTag}</c> with its parentIdTag.</summary>
    public async Task SetIdTagGroupAsync(string idTag, string parentIdTag, CancellationToken ct)
    {
        using var response = await api.PutAsJsonAsync($"/api/idtags/{Uri.EscapeDataString(idTag)}", new { status = "Accepted", parentIdTag }, ct);
        await EnsureAsync(response, "PUT id tag", ct);
    }

    public Task BlockIdTagAsync(string idTag, CancellationToken ct) => PostAsync($"/api/idtags/{Uri.EscapeDataString(idTag)}/block", new { }, ct);

    public async Task RegisterReaderAsync(string chargePointId, string keyId, string publicKeyPem, CancellationToken ct)
    {
        using var response = await api.PutAsJsonAsync($"/api/chargepoints/{Uri.EscapeDataString(chargePointId)}/biometric-reader",
            new { keyId, publicKeyPem }, ct);
        await EnsureAsync(response, "PUT biometric-reader", ct);
    }

    public Task<JsonElement> GetChargePointAsync(string id, CancellationToken ct) => GetAsync($"/api/chargepoints/{Uri.EscapeDataString(id)}", ct);

    public async Task<IReadOnlyList<JsonElement>> TransactionsAsync(string chargePointId, CancellationToken ct) =>
        (await GetAsync($"/api/transactions?chargePointId={Uri.EscapeDataString(chargePointId)}&limit=10", ct)).EnumerateArray().ToList();

    /// <summary>One transaction of a charge point as stored, or null when there is none with this id.</summary>
    public async Task<JsonElement?> TransactionAsync(string chargePointId, int? transactionId, CancellationToken ct) =>
        (await TransactionsAsync(chargePointId, ct))
        .Select(t => (JsonElement?)t)
        .FirstOrDefault(t => t!.Value.GetProperty("transactionId").GetInt32() == transactionId);

    /// <summary>Decisions of a charge point, newest first.</summary>
    public async Task<IReadOnlyList<DemoDecision>> DecisionsAsync(string chargePointId, CancellationToken ct)
    {
        var list = await GetAsync($"/api/authorizations?chargePointId={Uri.EscapeDataString(chargePointId)}&limit=50", ct);
        return list.EnumerateArray().Select(d => new DemoDecision(
            d.GetProperty("phase").GetString()!, d.GetProperty("result").GetString()!, d.GetProperty("reason").GetString()!,
            d.GetProperty("idTag").GetString()!,
            d.TryGetProperty("connectorId", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null,
            d.TryGetProperty("transactionId", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null,
            d.GetProperty("factors").Clone())).ToList();
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        using var response = await api.GetAsync(path, ct);
        return await EnsureAsync(response, $"GET {path}", ct);
    }

    private async Task<JsonElement> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await api.PostAsJsonAsync(path, body, ct);
        return await EnsureAsync(response, $"POST {path}", ct);
    }

    private static async Task<JsonElement> EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        string text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoStepException($"{what}: {(int)response.StatusCode} {text}", response.StatusCode);
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>A demo step could not be carried out (as opposed to a server decision that differs from the expected one).</summary>
public sealed class DemoStepException(string message, System.Net.HttpStatusCode? statusCode = null) : Exception(message)
{
    /// <summary>The HTTP status of the refused API call, when there was one (409 Conflict: it exists already).</summary>
    public System.Net.HttpStatusCode? StatusCode { get; } = statusCode;
}
