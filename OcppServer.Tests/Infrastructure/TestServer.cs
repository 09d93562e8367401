using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OcppServer;
using OcppServer.Storage;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// The real server (Kestrel, a real database) on a loopback port chosen by the OS, with its own data folder.
/// <see cref="RestartAsync"/> starts a fresh process-equivalent on the same data folder and database. The database is a
/// SQLite file in the data folder, or, when the environment variable <see cref="EngineVariable"/> is <c>PostgreSql</c>
/// (how CI runs the suite a second time), a fresh database of the test run's private PostgreSQL.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string ApiKey = "test-operator-key-0123456789";

    /// <summary>Set to <c>PostgreSql</c> to run every test server on PostgreSQL instead of SQLite.</summary>
    public const string EngineVariable = "OCPPAUTH_TEST_STORAGE";

    /// <summary>Whether this run's servers use PostgreSQL (<see cref="EngineVariable"/>).</summary>
    public static bool OnPostgreSql =>
        string.Equals(Environment.GetEnvironmentVariable(EngineVariable), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>Ignores the calling test on a PostgreSQL run: it reads or breaks the SQLite file itself.</summary>
    public static void RequireSqlite()
    {
        if (OnPostgreSql)
        {
            Assert.Ignore("Checks the SQLite file itself; the PostgreSQL run covers the same behaviour through the other tests");
        }
    }

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private SettingsProvider? _settingsProvider;

    private TestServer(string dataDirectory, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        DataDirectory = dataDirectory;
        _settings = settings;
        _services = services;
    }

    /// <summary>The server's clock; tests move it forward to age evidence out.</summary>
    public ManualTimeProvider Clock { get; } = new();

    public string DataDirectory { get; }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The HTTPS endpoint (<c>https://127.0.0.1:port</c>) of a server started with <see cref="StartWithTlsAsync"/>.</summary>
    public Uri SecureBaseUri { get; private set; } = null!;

    /// <summary>The certificates of a server started with <see cref="StartWithTlsAsync"/>.</summary>
    public TestPki? Pki { get; private set; }

    /// <summary>Where <see cref="Pki"/>'s files are (the server's certificate and key, the charge point CA, its CRL).</summary>
    public TestPkiFiles? PkiFiles { get; private set; }

    public HttpClient Api { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Starts a server; <paramref name="services"/> changes its services after the server's own registrations.</summary>
    public static async Task<TestServer> StartAsync(
        IDictionary<string, string?>? settings = null, string? dataDirectory = null, Action<IServiceCollection>? services = null)
    {
        var merged = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Api:Keys:0"] = ApiKey,
            ["Ocpp:ValidateOutgoing"] = "true",
            // Longer than any wait of a test (OcppTestClient.DefaultTimeout): a CALL the test answers never times out on a busy machine.
            ["Ocpp:CallTimeoutSeconds"] = "30",
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test shares 127.0.0.1: only the tests of the limiter itself lock an address.
            ["Security:CredentialFailures:PerAddressBurst"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        dataDirectory ??= Path.Combine(Path.GetTempPath(), "ocppauth-tests", Guid.NewGuid().ToString("N"));
        merged["Storage:DataDirectory"] = dataDirectory;
        if (OnPostgreSql && !merged.ContainsKey("Storage:Provider"))
        {
            merged["Storage:Provider"] = "PostgreSql";
            merged["Storage:PostgreSql:ConnectionString"] = await (await PostgreSqlInstance.GetAsync()).CreateDatabaseAsync();
        }

        var server = new TestServer(dataDirectory, merged, services);
        await server.StartInternalAsync();
        return server;
    }

    public Uri WebSocketUri(string chargePointId) =>
        new($"ws://{BaseUri.Authority}/ocpp/{Uri.EscapeDataString(chargePointId)}");

    /// <summary><c>wss://127.0.0.1:port/ocpp/{id}</c> of a server started with <see cref="StartWithTlsAsync"/>.</summary>
    public Uri SecureWebSocketUri(string chargePointId) =>
        new($"wss://{SecureBaseUri.Authority}/ocpp/{Uri.EscapeDataString(chargePointId)}");

    /// <summary>
    /// The server with a plain loopback endpoint and a TLS one, both on 127.0.0.1: the server certificate and the charge
    /// point CA (and an empty CRL) from a fresh <see cref="TestPki"/>, configured the ASP.NET Core way
    /// (<c>Kestrel:Certificates:Default</c>) and as <c>Security:ChargePointCa</c>.
    /// </summary>
    public static async Task<TestServer> StartWithTlsAsync(IDictionary<string, string?>? settings = null)
    {
        var pki = TestPki.Create();
        string dataDirectory = Path.Combine(Path.GetTempPath(), "ocppauth-tests", Guid.NewGuid().ToString("N"));
        var files = pki.WriteFiles(Path.Combine(dataDirectory, "pki"));
        var merged = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0;https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = files.ServerCertificate,
            ["Kestrel:Certificates:Default:KeyPath"] = files.ServerKey,
            ["Security:ChargePointCa"] = files.ChargePointCa,
            ["Security:ChargePointCaKey"] = files.ChargePointCaKey,
            ["Security:ChargePointCrl"] = files.Crl,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var server = await StartAsync(merged, dataDirectory);
        server.Pki = pki;
        server.PkiFiles = files;
        return server;
    }

    /// <summary>An HTTP client for the API over HTTPS that trusts only the test root.</summary>
    public HttpClient CreateSecureApiClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => Pki!.ValidateServerCertificate(certificate, errors),
        };
        var client = new HttpClient(handler) { BaseAddress = SecureBaseUri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>Options of a wss:// client: trusts only the test root; presents <paramref name="clientCertificate"/> when given.</summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions> Tls(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) =>
        options =>
        {
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Pki!.ValidateServerCertificate(certificate, errors);
            if (clientCertificate is not null)
            {
                options.ClientCertificates = [clientCertificate];
            }
        };

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The SQLite file of this server (read directly by tests that check what is stored).</summary>
    public string DatabasePath => Path.Combine(DataDirectory, "ocppauth.db");

    /// <summary>
    /// Opens a WebSocket for <paramref name="chargePointId"/> (no BootNotification sent), authenticating with the
    /// password it was registered with through <see cref="RegisterChargePointAsync"/> unless credentials are given.
    /// </summary>
    public Task<OcppTestClient> ConnectAsync(string chargePointId, string? user = null, string? password = null) =>
        user is null && password is null && _passwords.TryGetValue(chargePointId, out string? registered)
            ? OcppTestClient.ConnectAsync(WebSocketUri(chargePointId), user: chargePointId, password: registered)
            : OcppTestClient.ConnectAsync(WebSocketUri(chargePointId), user: user, password: password);

    /// <summary>The password <see cref="RegisterChargePointAsync"/> registered the charge point with.</summary>
    public string PasswordOf(string chargePointId) => _passwords[chargePointId];

    /// <summary>A fresh AuthorizationKey as the security whitepaper has it: 16 random bytes as 32 hex characters.</summary>
    public static string NewPassword() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public async Task<ApiResponse> GetAsync(string path) => await ApiResponse.ReadAsync(await Api.GetAsync(path));

    /// <summary>GET that must answer 200; returns the JSON body.</summary>
    /// <summary>A camera's JPEG capture through <c>/api/cameras/{camera}/captures</c> with its key; asserts 201, returns the record.</summary>
    public async Task<JsonElement> PostCaptureAsync(string camera, string key, byte[] image)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "image", "capture.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cameras/{camera}/captures") { Content = form };
        request.Headers.Add("X-Camera-Key", key);
        using var response = await Api.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A camera's burst (several JPEG frames of one passage, one multipart request); asserts 201, returns the record.</summary>
    public async Task<JsonElement> PostBurstAsync(string camera, string key, IReadOnlyList<byte[]> frames)
    {
        using var form = new MultipartFormDataContent();
        for (int i = 0; i < frames.Count; i++)
        {
            var file = new ByteArrayContent(frames[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "image", $"frame{i}.jpg");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cameras/{camera}/captures") { Content = form };
        request.Headers.Add("X-Camera-Key", key);
        using var response = await Api.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path) => (await GetAsync(path)).AssertStatus(HttpStatusCode.OK);

    public async Task<ApiResponse> PostAsync(string path, object? body = null) =>
        await ApiResponse.ReadAsync(await Api.PostAsJsonAsync(path, body));

    public async Task<ApiResponse> PutAsync(string path, object? body) =>
        await ApiResponse.ReadAsync(await Api.PutAsJsonAsync(path, body));

    /// <summary>POSTs a raw body (e.g. malformed JSON) with content type application/json.</summary>
    public async Task<ApiResponse> PostRawAsync(string path, string body) =>
        await ApiResponse.ReadAsync(await Api.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")));

    /// <summary><c>POST /api/chargepoints/{id}/commands/{action}</c> with <paramref name="payloadJson"/> as the body.</summary>
    public Task<ApiResponse> SendCommandAsync(string chargePointId, string action, string payloadJson) =>
        PostRawAsync($"/api/chargepoints/{Uri.EscapeDataString(chargePointId)}/commands/{action}", payloadJson);

    /// <summary>The charge point as the API shows it.</summary>
    public Task<JsonElement> GetChargePointAsync(string chargePointId) =>
        GetJsonAsync($"/api/chargepoints/{Uri.EscapeDataString(chargePointId)}");

    /// <summary>
    /// Runs SQL straight on the server's database (SQLite or PostgreSQL), bypassing its stores: reads rows, or changes
    /// them as an older version or an attacker with database access would. Parameters are named with their <c>@</c>.
    /// </summary>
    public Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryDatabaseAsync(
        string sql, params (string Name, object? Value)[] parameters) =>
        GetService<IRelationalDatabase>().WriteAsync<IReadOnlyList<IReadOnlyDictionary<string, object?>>>((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            var rows = new List<IReadOnlyDictionary<string, object?>>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }, CancellationToken.None);

    /// <summary>
    /// Changes a setting of the running server (and of later restarts), as an edited configuration file would: what
    /// the server reads through <c>IOptionsMonitor</c> takes the new value for what it does from then on.
    /// </summary>
    public void ChangeSetting(string key, string? value)
    {
        _settings[key] = value;
        _settingsProvider!.Change(key, value);
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartInternalAsync();
    }

    /// <summary>Registers a charge point through the API (accepted, optionally with a password and station).</summary>
    /// <summary>Creates a station; by default one that requires no layered factor (plain id tag authorization).</summary>
    public async Task CreateStationAsync(string id, bool layered = false)
    {
        object? policy = layered ? null : new { requirePreVerification = false, requireBiometric = false, requireVin = false };
        using var response = await Api.PostAsJsonAsync("/api/stations", new { id, name = id, policy });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Registers a charge point. Every charge point authenticates: without <paramref name="password"/> a fresh one is
    /// made up and remembered, so that <see cref="ConnectAsync"/> uses it; <paramref name="allowUnauthenticated"/>
    /// registers one that connects without credentials instead. One without a station is registered IdTagOnly (plain
    /// OCPP, the operator's explicit choice) unless <paramref name="authorization"/> says otherwise.
    /// </summary>
    public async Task RegisterChargePointAsync(
        string id, string? password = null, string? stationId = null, bool allowUnauthenticated = false, string? authorization = null,
        int? securityProfile = null)
    {
        password ??= allowUnauthenticated || securityProfile == 3 ? null : NewPassword();
        authorization ??= stationId is null ? "IdTagOnly" : "Layered";
        using var response = await Api.PostAsJsonAsync("/api/chargepoints", new { id, password, stationId, allowUnauthenticated, authorization, securityProfile });
        response.EnsureSuccessStatusCode();
        if (password is not null)
        {
            _passwords[id] = password;
        }
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
        return await ConnectAndBootAsync(id);
    }

    /// <summary>Connects a charge point registered already (with <see cref="RegisterChargePointAsync"/>) and boots it Accepted.</summary>
    public async Task<OcppTestClient> ConnectAndBootAsync(string id)
    {
        var client = await ConnectAsync(id);
        var boot = await client.CallResultAsync("BootNotification", new { chargePointVendor = "TestVendor", chargePointModel = "TestModel" });
        Assert.That(boot.GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        return client;
    }

    private async Task StartInternalAsync()
    {
        _app = OcppServerApp.Build([], builder =>
        {
            _settingsProvider = new SettingsProvider(_settings);
            ((IConfigurationBuilder)builder.Configuration).Add(_settingsProvider);
            builder.Services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(builder.Services);
        });
        await OcppServerApp.PrepareAsync(_app, CancellationToken.None);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseUri = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        if (addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal)) is { } secure)
        {
            SecureBaseUri = new Uri(secure);
        }

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

    /// <summary>The test's settings as a configuration source that can be changed while the server runs.</summary>
    private sealed class SettingsProvider : ConfigurationProvider, IConfigurationSource
    {
        public SettingsProvider(IReadOnlyDictionary<string, string?> settings)
        {
            foreach (var (key, value) in settings)
            {
                Data[key] = value;
            }
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Change(string key, string? value)
        {
            Set(key, value);
            OnReload();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Pki?.Dispose();
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
