using System.Net.Http.Json;
using System.Text.Json;
using OcppServer.Registry;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// A station with a charge point (booted, hardening answered), a driver with an id tag and an enrolled face template,
/// a registered vehicle, and the charge point's biometric reader — the cast of every layered-authorization test.
/// </summary>
public sealed class LayeredScenario : IAsyncDisposable
{
    private LayeredScenario(TestServer server, string name)
    {
        Server = server;
        StationId = $"ST-{name}";
        ChargePointId = $"CP-{name}";
        IdTag = $"TAG-{name}";
        Reader = new TestBiometricReader($"reader-{name}");
        int seed = name.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fffffff;
        Template = TestBiometricReader.Person(seed);
        Vin = NewVin(seed);
        Plate = UkPlate(seed);
    }

    public TestServer Server { get; }
    public string StationId { get; }
    public string ChargePointId { get; }
    public string IdTag { get; }
    public string DriverId { get; private set; } = "";
    public string VehicleId { get; private set; } = "";
    public string Vin { get; }
    public string Plate { get; }
    public float[] Template { get; }
    public TestBiometricReader Reader { get; }
    public OcppTestClient Client { get; private set; } = null!;

    /// <summary>Creates the scenario. <paramref name="policy"/> overrides the station policy (autoStart is off unless given).</summary>
    public static async Task<LayeredScenario> CreateAsync(TestServer server, string name, Dictionary<string, object>? policy = null, bool answerHardening = true)
    {
        var scenario = new LayeredScenario(server, name);
        var effectivePolicy = new Dictionary<string, object> { ["autoStart"] = false };
        foreach (var (key, value) in policy ?? [])
        {
            effectivePolicy[key] = value;
        }

        await scenario.PostAsync("/api/stations", new { id = scenario.StationId, name = $"Station {name}", policy = effectivePolicy });
        await server.RegisterChargePointAsync(scenario.ChargePointId, stationId: scenario.StationId);
        using (var reader = await server.Api.PutAsJsonAsync($"/api/chargepoints/{scenario.ChargePointId}/biometric-reader",
                   new { keyId = scenario.Reader.KeyId, publicKeyPem = scenario.Reader.PublicKeyPem }))
        {
            reader.EnsureSuccessStatusCode();
        }

        scenario.DriverId = await scenario.CreateDriverAsync($"Driver {name}", scenario.IdTag, scenario.Template);
        scenario.VehicleId = await scenario.CreateVehicleAsync(scenario.Vin, scenario.Plate, scenario.DriverId);

        scenario.Client = await server.ConnectAsync(scenario.ChargePointId);
        var boot = await scenario.Client.CallResultAsync("BootNotification", new { chargePointVendor = "Test", chargePointModel = "Layered" });
        Assert.That(boot.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        if (answerHardening)
        {
            for (int i = 0; i < 5; i++)
            {
                await scenario.Client.AnswerServerCallAsync("ChangeConfiguration", new { status = "Accepted" });
            }

            await scenario.Client.AnswerServerCallAsync("ClearCache", new { status = "Accepted" });
        }

        // A vehicle at both connectors: their sessions are open, so the evidence the tests present counts.
        await scenario.SetStatusAsync(1, "Preparing");
        await scenario.SetStatusAsync(2, "Preparing");
        return scenario;
    }

    /// <summary>StatusNotification of a connector (Preparing opens its session, Available ends it).</summary>
    public Task<JsonElement> SetStatusAsync(int connectorId, string status) =>
        Client.CallResultAsync("StatusNotification", new { connectorId, errorCode = "NoError", status });

    /// <summary>A UK-style plate (two letters, two digits, three letters) derived from the seed.</summary>
    public static string UkPlate(int seed)
    {
        const string letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
        var random = new Random(seed);
        char L() => letters[random.Next(letters.Length)];
        return $"{L()}{L()}{random.Next(10, 100)}{L()}{L()}{L()}";
    }

    public static string NewVin(int seed)
    {
        const string allowed = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
        var random = new Random(seed);
        char[] vin = Enumerable.Range(0, 17).Select(_ => allowed[random.Next(allowed.Length)]).ToArray();
        vin[8] = VinValidator.ComputeCheckDigit(new string(vin));
        return new string(vin);
    }

    public async Task<string> CreateDriverAsync(string name, string idTag, float[]? template)
    {
        var driver = await PostAsync("/api/drivers", new { name, idTags = new[] { idTag } });
        string id = driver.GetProperty("id").GetString()!;
        if (template is not null)
        {
            await PostAsync($"/api/drivers/{id}/biometrics", new { modality = "face", template = TestBiometricReader.Base64Template(template) });
        }

        return id;
    }

    public async Task<string> CreateVehicleAsync(string vin, string plate, string ownerDriverId, params string[] authorizedDriverIds)
    {
        var vehicle = await PostAsync("/api/vehicles", new { vin, plate, ownerDriverId, authorizedDriverIds });
        return vehicle.GetProperty("id").GetString()!;
    }

    /// <summary>An attendant records the plate at the entrance of <paramref name="stationId"/> (default: this station).</summary>
    public async Task<string> PreVerifyAsync(string? plate = null, string? stationId = null)
    {
        var record = await PostAsync($"/api/stations/{stationId ?? StationId}/preverifications", new { plate = plate ?? Plate });
        return record.GetProperty("id").GetString()!;
    }

    public Task<JsonElement> SendVinAsync(int connectorId = 1, string? vin = null) =>
        Client.CallResultAsync("DataTransfer", new
        {
            vendorId = "org.ocppauth",
            messageId = "VehicleIdentification",
            data = JsonSerializer.Serialize(new { connectorId, vin = vin ?? Vin, evccId = "EVCC-0001", protocol = "ISO15118-2" }),
        });

    public Task<JsonElement> SendTokenAsync(string token, int connectorId = 1) =>
        Client.CallResultAsync("DataTransfer", new
        {
            vendorId = "org.ocppauth",
            messageId = "BiometricToken",
            data = JsonSerializer.Serialize(new { connectorId, token }),
        });

    /// <summary>A genuine token: this driver's face, signed by this charge point's reader for <paramref name="connectorId"/>.</summary>
    public string GenuineToken(int connectorId = 1, float[]? template = null) =>
        Reader.Sign(ChargePointId, connectorId, TestBiometricReader.Sample(template ?? Template, Environment.TickCount), Server.Clock.GetUtcNow());

    /// <summary>Pre-verification, VIN and biometric token on the connector: everything the gate asks for.</summary>
    public async Task PresentAllEvidenceAsync(int connectorId = 1)
    {
        await PreVerifyAsync();
        Assert.That((await SendVinAsync(connectorId)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        Assert.That((await SendTokenAsync(GenuineToken(connectorId), connectorId)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));
    }

    public async Task<string> AuthorizeAsync(string? idTag = null) =>
        (await Client.CallResultAsync("Authorize", new { idTag = idTag ?? IdTag })).GetProperty("idTagInfo").GetProperty("status").GetString()!;

    public Task<JsonElement> StartTransactionAsync(int connectorId = 1, string? idTag = null, int meterStart = 1000) =>
        Client.CallResultAsync("StartTransaction", new
        {
            connectorId, idTag = idTag ?? IdTag, meterStart, timestamp = Server.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
        });

    /// <summary>The newest stored decision of this charge point.</summary>
    public async Task<JsonElement> LatestDecisionAsync()
    {
        var decisions = await Server.Api.GetFromJsonAsync<JsonElement>($"/api/authorizations?chargePointId={ChargePointId}&limit=1");
        Assert.That(decisions.GetArrayLength(), Is.EqualTo(1), "a decision was recorded");
        return decisions[0];
    }

    public static string? Reason(JsonElement dataTransferResponse) =>
        dataTransferResponse.TryGetProperty("data", out var data)
            ? JsonDocument.Parse(data.GetString()!).RootElement.GetProperty("reason").GetString()
            : null;

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Server.Api.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.InRange(200, 299), $"POST {path}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        Reader.Dispose();
    }
}
