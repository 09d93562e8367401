namespace OcppServer.Telemetry;

/// <summary>Metrics and traces (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// Whether <c>/metrics</c> needs an operator key (<c>X-Api-Key</c>, or <c>Authorization: Bearer</c> as Prometheus sends
    /// it). On by default: the counts say how the installation is used. Turn it off only where the endpoint that serves
    /// <c>/metrics</c> is reachable by the scraper alone (e.g. the loopback endpoint of the production setup).
    /// </summary>
    public bool MetricsRequireApiKey { get; set; } = true;

    /// <summary>Where to send traces over OTLP (e.g. <c>http://127.0.0.1:4317</c>); none (the default): no traces are exported.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport: <c>Grpc</c> (port 4317, the default) or <c>HttpProtobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "Grpc";
}
