using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace OcppServer.Api;

/// <summary>
/// The OpenAPI document of the back-office API (<c>/openapi/v1.json</c>) and its reference page (<c>/scalar</c>, Scalar's
/// assets served from its package, nothing from a CDN). Both answer without a key (<see cref="ApiOptions.PublishDocument"/>
/// turns them off): they describe what the README does, and a browser cannot send <c>X-Api-Key</c> when it opens a page;
/// the page asks for the key to try a call. Every operation lists its answers; each one behind the operator key names
/// the <see cref="ApiKeyScheme"/> / <see cref="BearerScheme"/> security scheme and its 401.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";
    public const string CameraKeyScheme = "CameraKey";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OcppAuth back-office API",
                    Version = "v1",
                    Description = "Operator API of the OcppAuth central system (OCPP 1.6J with layered authorization). Every call under /api "
                        + $"needs one of the keys configured in Api:Keys, in the {OperatorKeyMiddleware.HeaderName} header (or as a bearer token); "
                        + "errors are RFC 9457 ProblemDetails (application/problem+json). A camera posts its captures with its own key "
                        + $"({CamerasApi.KeyHeader}).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = OperatorKeyMiddleware.HeaderName,
                    Description = "One of the operator keys configured in Api:Keys.",
                };
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The same operator key as a bearer token (Authorization: Bearer KEY), e.g. for a Prometheus scrape.",
                };
                document.Components.SecuritySchemes[CameraKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = CamerasApi.KeyHeader,
                    Description = "The camera's key, shown once when the camera was registered.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<OperatorKeyRequired>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                }
                else if (metadata.OfType<CameraKeyRequired>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CameraKeyScheme, context.Document)] = [] });
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>Serves the document and the reference page, unless <see cref="ApiOptions.PublishDocument"/> is off.</summary>
    public static void MapApiDocumentation(this WebApplication app, ApiOptions options)
    {
        if (!options.PublishDocument)
        {
            return;
        }

        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(ReferencePath, reference => reference
            .WithTitle("OcppAuth back-office API")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddPreferredSecuritySchemes(ApiKeyScheme)
            // Nothing leaves the machine: the page's script comes from the package (served under /scalar/), and the
            // fonts, telemetry, AI agent and MCP integration that would reach Scalar's servers are off.
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
    }

    /// <summary>The problems every JSON body can cause before the handler runs: malformed (400), too large (413), not JSON (415).</summary>
    public static RouteHandlerBuilder ProducesBodyProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
