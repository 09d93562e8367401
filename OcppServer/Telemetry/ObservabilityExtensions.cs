using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OcppServer.Api;
using OcppServer.Ocpp;
using OcppServer.Storage;
using OcppServer.Vision;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OcppServer.Telemetry;

/// <summary>
/// Metrics for Prometheus at <c>/metrics</c> (OpenTelemetry's exporter: the server's own meter, ASP.NET Core's and the
/// runtime's), traces over OTLP when <c>Telemetry:OtlpEndpoint</c> is set (off by default), and the readiness checks
/// behind <c>/readyz</c> (the database answers, the plate reader can read). <c>/healthz</c> (liveness) stays as it was.
/// </summary>
public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ReadinessPath = "/readyz";
    public const string ReadinessTag = "ready";

    /// <summary>ASP.NET Core's own meters (.NET 8 and later): requests, Kestrel's connections, routing, the exception handler, rate limiting.</summary>
    private static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting",
    ];

    /// <summary>The runtime's own meter (.NET 9 and later: GC, thread pool, JIT, exceptions), what OpenTelemetry.Instrumentation.Runtime would enable.</summary>
    private const string RuntimeMeter = "System.Runtime";

    /// <summary>ASP.NET Core's request activities, exported with the server's own when traces are.</summary>
    private const string AspNetCoreActivitySource = "Microsoft.AspNetCore";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => o.OtlpEndpoint is null || OtlpEndpoint(o) is not null,
                $"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http:// or https:// URL")
            .Validate(o => o.OtlpProtocol is "Grpc" or "HttpProtobuf", $"{TelemetryOptions.Section}:OtlpProtocol must be Grpc or HttpProtobuf")
            .ValidateOnStart();

        services.AddSingleton<OcppAuthTelemetry>();
        services.AddSingleton<IOcppTransportTelemetry>(sp => sp.GetRequiredService<OcppAuthTelemetry>());
        services.AddSingleton<IStorageTelemetry>(sp => sp.GetRequiredService<OcppAuthTelemetry>());
        services.AddSingleton<IPlateReaderTelemetry>(sp => sp.GetRequiredService<OcppAuthTelemetry>());

        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(OcppAuthTelemetry.Name))
            .WithMetrics(metrics => metrics
                .AddMeter(OcppAuthTelemetry.Name)
                .AddMeter(AspNetCoreMeters)
                .AddMeter(RuntimeMeter)
                // Every scrape collects afresh: the endpoint needs a key, and a scraper every few seconds costs nothing.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (OtlpEndpoint(telemetry) is { } endpoint)
        {
            // Only when asked for: without a listener, ActivitySource.StartActivity costs a branch and creates nothing.
            openTelemetry.WithTracing(tracing => tracing
                .AddSource(OcppAuthTelemetry.Name)
                .AddSource(AspNetCoreActivitySource)
                .AddOtlpExporter(otlp =>
                {
                    otlp.Endpoint = endpoint;
                    otlp.Protocol = telemetry.OtlpProtocol == "HttpProtobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }));
        }

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadinessTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<PlateReaderHealthCheck>("plateReader", tags: [ReadinessTag]);
        return services;
    }

    /// <summary><c>/metrics</c> (behind the operator key unless <see cref="TelemetryOptions.MetricsRequireApiKey"/> is off) and <c>/readyz</c>.</summary>
    public static void MapObservability(this WebApplication app)
    {
        var metrics = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.MetricsRequireApiKey)
        {
            metrics.WithMetadata(OperatorKeyRequired.Instance);
        }

        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessTag),
            ResponseWriter = WriteReadinessAsync,
        });
    }

    private static Uri? OtlpEndpoint(TelemetryOptions options) =>
        Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary><c>{"status":"Healthy","checks":{"database":{"status":…,"description":…,"durationMs":…,"data":{…}}}}</c>.</summary>
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new
                {
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description,
                    durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                    data = entry.Value.Data.Count == 0 ? null : entry.Value.Data,
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ReportJson, context.RequestAborted);
    }
}
