using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OcppServer;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// The real server (Kestrel, real SQLite file) on a loopback port chosen by the OS, with its own data folder.
/// <see cref="RestartAsync"/> starts a fresh process-equivalent on the same data folder.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string ApiKey = "test-operator-key-0123456789";

    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    private TestServer(string dataDirectory, Dictionary<string, string?> settings)
    {
        DataDirectory = dataDirectory;
        _settings = settings;
    }

    /// <summary>The server's clock; tests move it forward to age evidence out.</summary>
    public ManualTimeProvider Clock { get; } = new();

    public string DataDirectory { get; }

    public Uri BaseUri { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        var merged = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Api:Keys:0"] = ApiKey,
            ["Ocpp:ValidateOutgoing"] = "true",
            ["Ocpp:CallTimeoutSeconds"] = "5",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        dataDirectory ??= Path.Combine(Path.GetTempPath(), "ocppauth-tests", Guid.NewGuid().ToString("N"));
        merged["Storage:DataDirectory"] = dataDirectory;
        var server = new TestServer(dataDirectory, merged);
        await server.StartInternalAsync();
        return server;
    }

    public Uri WebSocketUri(string chargePointId) =>
        new($"ws://{BaseUri.Authority}/ocpp/{Uri.EscapeDataString(chargePointId)}");

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartInternalAsync();
    }

    /// <summary>Registers a charge point through the API (accepted, optionally with a password and station).</summary>
    public async Task RegisterChargePointAsync(string id, string? password = null, string? stationId = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/chargepoints", new { id, password, stationId });
        response.EnsureSuccessStatusCode();
    }

    public async Task CreateIdTagAsync(string idTag, string status = "Accepted", DateTimeOffset? expiryDate = null, string? parentIdTag = null)
    {
        using var response = await Api.PostAsJsonAsync("/api/idtags", new { idTag, status, expiryDate, parentIdTag });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Registers the charge point and connects it with a Boot that is answered Accepted.</summary>
    public async Task<OcppTestClient> ConnectBootedAsync(string id)
    {
        await RegisterChargePointAsync(id);
        var client = await OcppTestClient.ConnectAsync(WebSocketUri(id));
        var boot = await client.CallAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "TestModel" });
        Assert.That(boot.Payload.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        return client;
    }

    private async Task StartInternalAsync()
    {
        _app = OcppServerApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.Services.AddSingleton<TimeProvider>(Clock);
        });
        await OcppServerApp.PrepareAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUri = new Uri(address);
        Api = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        Api.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        Api.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file may still be held briefly by the OS; the temp folder is cleaned eventually.
        }
    }
}
