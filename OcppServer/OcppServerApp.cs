using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using OcppServer.Api;
using OcppServer.Authorization;
using OcppServer.Authorization.Biometrics;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.Gate;
using OcppServer.Authorization.Hardening;
using OcppServer.Authorization.PreVerification;
using OcppServer.Cluster;
using OcppServer.ChargePoints;
using OcppServer.Commands;
using OcppServer.Dashboard;
using OcppServer.Handlers;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Ocpp.Dispatch;
using OcppServer.Ocpp.Messages;
using OcppServer.Ocpp.Redaction;
using OcppServer.Ocpp.Validation;
using OcppServer.Operators;
using OcppServer.Security;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Telemetry;
using OcppServer.Vision;

namespace OcppServer;

/// <summary>Builds the server: configuration, services, the OCPP endpoint and the back-office API.</summary>
public static class OcppServerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json lives at the repository root and is copied next to the binaries.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["Urls"]) && string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8180");
        }

        AddServices(builder.Services, builder.Configuration);
        TransportOptions.Apply(builder);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Backstop behind the endpoint's own 503: never accept more upgraded sockets than file descriptors allow.
            int connections = ConnectionLimit.Resolve(context.Configuration.GetValue<int>($"{OcppOptions.Section}:MaxConnections"));
            kestrel.Limits.MaxConcurrentUpgradedConnections = connections + 16;
        });
        TransportSecurity.Apply(builder);
        configure?.Invoke(builder);
        TransportSecurity.EnsurePlainEndpointsAreLoopback(TransportSecurity.ConfiguredAddresses(builder.Configuration), builder.Configuration);

        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    /// <summary>Migrates the database, then serves until shutdown.</summary>
    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await PrepareAsync(app, cancellationToken);
        await app.RunAsync();
    }

    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        // Every option validated before anything is touched (the database is migrated below, before the host starts).
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.Services.GetRequiredService<IMigrationRunner>().ApplyAsync(cancellationToken);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OcppServerApp).FullName!);
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.Provider == StorageProvider.Sqlite)
        {
            logger.LogInformation("Database {DatabasePath} (SQLite)", app.Services.GetRequiredService<SqliteDatabase>().DatabasePath);
        }
        else
        {
            logger.LogInformation("Database: PostgreSQL");
        }
        if (app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.Keys.All(string.IsNullOrEmpty))
        {
            logger.LogWarning("No operator API key is configured: every /api call is refused. Set Api:Keys (e.g. environment variable Api__Keys__0=<long random key>).");
        }

        await FirstAdmin.CreateFromConfigurationAsync(app.Services, logger, cancellationToken);
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OcppOptions>().Bind(configuration.GetSection(OcppOptions.Section))
            .Validate(o => o.MaxFrameBytes >= 1024, $"{OcppOptions.Section}:MaxFrameBytes must be at least 1024")
            .Validate(o => o.MaxDiscardedFrameBytes >= o.MaxFrameBytes, $"{OcppOptions.Section}:MaxDiscardedFrameBytes must be at least MaxFrameBytes")
            .Validate(o => o.CallTimeoutSeconds > 0, $"{OcppOptions.Section}:CallTimeoutSeconds must be positive")
            .ValidateOnStart();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section))
            .Validate(o => o.MaxBodyBytes >= 1024, $"{ApiOptions.Section}:MaxBodyBytes must be at least 1024")
            .ValidateOnStart();
        services.Configure<AuthorizationOptions>(configuration.GetSection(AuthorizationOptions.Section));
        services.Configure<BiometricOptions>(configuration.GetSection(BiometricOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.AllowDuplicateProperties = false; // a body naming a field twice is 400, not "the last one wins"
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new UtcTimestampConverter());
        });
        services.AddApiProblemDetails(); // every error as ProblemDetails that says why (400, 404, 405, 413, 415)
        services.AddApiDocumentation(); // /openapi/v1.json and /scalar
        services.AddObservability(configuration); // metrics (/metrics), traces (OTLP when configured), readiness (/readyz)
        services.AddDashboard(configuration); // the operator dashboard at /: accounts, roles, audit log

        // Storage
        services.AddRelationalDatabase(configuration); // Storage:Provider: Sqlite (default) | PostgreSql
        services.AddSqlStores();

        // OCPP-J transport
        services.AddSingleton<OcppSchemaValidator>();
        services.AddSingleton<ChargePointConnectionRegistry>();
        services.AddCluster(configuration); // several nodes when Cluster:Redis is set
        services.AddSingleton<IOcppCallDispatcher, OcppCallDispatcher>();
        services.AddSingleton<IChargePointAdmission, ChargePointAdmission>();
        services.AddOptions<CredentialFailureOptions>().Bind(configuration.GetSection(CredentialFailureOptions.Section))
            .Validate(o => o is { PerCredentialBurst: > 0, PerCredentialRefillSeconds: > 0, PerAddressBurst: > 0, PerAddressRefillSeconds: > 0 },
                $"{CredentialFailureOptions.Section}: every burst and refill must be positive")
            .ValidateOnStart();
        services.AddSingleton<CredentialFailureLimiter>();
        services.AddOptions<ChargePointSecurityOptions>().Bind(configuration.GetSection(ChargePointSecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChargePointSecurityOptions>, ChargePointSecurityOptionsValidation>();
        services.AddSingleton<ChargePointCertificateAuthority>();
        services.AddOptions<SecurityEventOptions>().Bind(configuration.GetSection(SecurityEventOptions.Section))
            .Validate(o => o is { MaxRows: > 0, QueueLength: > 0 }, $"{SecurityEventOptions.Section}: MaxRows and QueueLength must be positive")
            .ValidateOnStart();
        services.AddSingleton<SecurityEventLog>();
        services.AddSingleton<ISecurityEventLog>(sp => sp.GetRequiredService<SecurityEventLog>());
        services.AddHostedService(sp => sp.GetRequiredService<SecurityEventLog>());
        services.AddSingleton<MessageLogWriter>(); // idle unless Ocpp:MessageLog:Enabled
        services.AddSingleton<IOcppFrameObserver>(sp => sp.GetRequiredService<MessageLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<MessageLogWriter>());

        // Charger -> server handlers, one per action
        services.AddSingleton<IOcppCallHandler, AuthorizeHandler>();
        services.AddSingleton<IOcppCallHandler, BootNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, DataTransferHandler>();
        services.AddSingleton<IOcppCallHandler, DiagnosticsStatusNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, FirmwareStatusNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, HeartbeatHandler>();
        services.AddSingleton<IOcppCallHandler, MeterValuesHandler>();
        services.AddSingleton<IOcppCallHandler, StartTransactionHandler>();
        services.AddSingleton<IOcppCallHandler, SecurityEventNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, SignCertificateHandler>();
        services.AddSingleton<IOcppCallHandler, SignedFirmwareStatusNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, LogStatusNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, StatusNotificationHandler>();
        services.AddSingleton<IOcppCallHandler, StopTransactionHandler>();

        // Server -> charger commands
        services.AddSingleton<ChargePointCommandService>();
        services.AddSingleton<OcppChargerCommands>();
        services.AddSingleton<IChargerCommands>(sp => sp.GetRequiredService<OcppChargerCommands>());
        services.AddSingleton<IChargerSecuritySettings>(sp => sp.GetRequiredService<OcppChargerCommands>());
        services.AddSingleton<IChargerCertificates>(sp => sp.GetRequiredService<OcppChargerCommands>());
        services.AddSingleton<ChargePointCertificateSigner>();
        services.AddSingleton<AuthorizationKeyRotation>();
        services.AddSingleton<SecurityProfileUpgrade>();

        // Layered authorization: the gate, its evidence, and the vendor extension that carries VIN and biometric tokens
        services.AddSingleton<IdTagAuthorizationService>();
        services.AddSingleton<StationPolicyProvider>();
        services.AddSingleton<EvidenceEvaluator>();
        services.AddSingleton<LayeredAuthorizationService>();
        services.AddSingleton<IAuthorizationService>(sp => new MeasuredAuthorizationService(
            sp.GetRequiredService<LayeredAuthorizationService>(), sp.GetRequiredService<OcppAuthTelemetry>()));
        services.AddSingleton<TemplateProtector>();
        services.AddSingleton<TemplateGallery>();
        services.AddSingleton<BiometricMatcher>();
        services.AddSingleton<BiometricTokenVerifier>();
        services.AddSingleton<BiometricTokenService>();
        services.AddSingleton<VehicleIdentificationService>();
        services.AddSingleton<AutoStartCoordinator>();
        services.AddSingleton<RefusedTransactionEnforcer>();
        services.AddSingleton<IVendorExtension, OcppAuthVendorExtension>();
        services.AddSingleton<IDataTransferRedactor, OcppAuthDataRedactor>();
        services.AddSingleton<OcppPayloadRedaction>();
        services.AddSingleton<ChargerTrust>();
        services.AddSingleton<OfflineBypassHardening>();
        services.AddSingleton<IChargePointBootObserver>(sp => sp.GetRequiredService<OfflineBypassHardening>());
        services.AddSingleton<IChargePointConnectionObserver, HardeningOnReconnect>();
        services.AddSingleton<IChargePointConnectionObserver, CertificateInstalledOnReconnect>();
        services.AddSingleton<IConnectionSecurityObserver, TransportSecurityEvents>();
        services.AddSingleton<PreVerificationRecorder>();

        // Camera pre-verification: the plate reader (fails fast without its model), images and their retention
        services.AddPlateReader(configuration);
        services.Configure<ImageRetentionOptions>(configuration.GetSection(ImageRetentionOptions.Section));
        services.AddSingleton<ImageStore>();
        services.AddSingleton<ICaptureArchive>(sp => sp.GetRequiredService<ImageStore>());
        services.AddSingleton<CameraCaptureService>();
        services.AddHostedService<ImageRetention>();
        services.AddHostedService<ReplayStorePurge>();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseRouting();
        app.UseMiddleware<OperatorKeyMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/healthz", (ChargePointConnectionRegistry connections) => TypedResults.Ok(new { status = "ok", connections = connections.Count }))
            .WithName("Health").WithSummary("Liveness: the process answers (no key); the number of live charge point connections").WithTags("Health");
        app.MapOcppWebSockets();

        var apiOptions = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var api = app.MapGroup("/api")
            .WithMetadata(OperatorKeyRequired.Instance, new RequestBodyLimit(apiOptions.MaxBodyBytes))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .AddEndpointFilter<ApiAuditFilter>(); // every change by an API key goes to the audit log
        api.MapChargePointsApi();
        api.MapCommandsApi();
        api.MapIdTagsApi();
        api.MapTransactionsApi();
        api.MapStationsApi();
        api.MapDriversApi();
        api.MapVehiclesApi();
        api.MapPreVerificationsApi();
        api.MapAuthorizationsApi();
        api.MapSecurityEventsApi();
        api.MapCertificatesApi();
        api.MapMaintenanceReportsApi();
        api.MapCamerasApi();
        app.MapCameraCaptures(app.Services.GetRequiredService<IOptions<VisionOptions>>().Value.MaxCaptureRequestBytes);
        app.MapApiDocumentation(apiOptions);
        app.MapObservability();
        app.MapDashboard();
    }
}
