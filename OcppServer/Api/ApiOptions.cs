namespace OcppServer.Api;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Operator keys accepted in the <c>X-Api-Key</c> header. None configured: every API call is refused.</summary>
    public string[] Keys { get; set; } = [];

    /// <summary>Largest request body an operator endpoint reads (413 beyond); camera images have their own limit.</summary>
    public int MaxBodyBytes { get; set; } = 65536;

    /// <summary>
    /// Serve the OpenAPI document (<c>/openapi/v1.json</c>) and its reference page (<c>/scalar</c>), both without a key:
    /// they describe the API, never its data. Off: neither is served.
    /// </summary>
    public bool PublishDocument { get; set; } = true;
}
