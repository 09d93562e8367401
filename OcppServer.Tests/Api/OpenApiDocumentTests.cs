using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Api;

/// <summary>
/// The OpenAPI document at /openapi/v1.json describes every endpoint the running server maps under /api (read from its
/// EndpointDataSource), with its answers, errors and security; the reference page is served from the server itself.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private TestServer _server = null!;
    private HttpClient _anonymous = null!;
    private JsonElement _document;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await TestServer.StartAsync();
        _anonymous = new HttpClient { BaseAddress = _server.BaseUri };
        _document = (await ApiResponse.ReadAsync(await _anonymous.GetAsync("/openapi/v1.json"))).AssertStatus(HttpStatusCode.OK);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        _anonymous.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>"POST /api/chargepoints/{id}" for every endpoint the server routes under /api.</summary>
    private IReadOnlyList<string> MappedApiOperations() =>
        _server.GetService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: Normalize(e.RoutePattern.RawText ?? ""), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => $"{m.ToUpperInvariant()} {e.Path}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private IEnumerable<(string Key, JsonElement Operation)> DocumentedOperations() =>
        _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => Methods.Contains(op.Name))
                .Select(op => ($"{op.Name.ToUpperInvariant()} {Normalize(path.Name)}", op.Value)));

    /// <summary>A route as the document writes it: parameters without their constraints, no trailing slash.</summary>
    private static string Normalize(string route)
    {
        string path = Parameter().Replace("/" + route.TrimStart('/'), m => "{" + m.Groups["name"].Value + "}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();

    [Test]
    public void Every_api_endpoint_is_in_the_document()
    {
        var mapped = MappedApiOperations();
        var documented = DocumentedOperations().Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        Assert.That(mapped, Has.Count.GreaterThan(40), "the endpoints were read from the running server");
        Assert.That(mapped.Where(o => !documented.Contains(o)), Is.Empty, "endpoints the OpenAPI document does not describe");
    }

    [Test]
    public void Every_api_operation_has_a_summary_a_success_answer_and_its_errors_as_problem_details()
    {
        var incomplete = new List<string>();
        foreach (var (key, operation) in DocumentedOperations().Where(o => o.Key.Contains(" /api/", StringComparison.Ordinal)))
        {
            var responses = operation.GetProperty("responses");
            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                incomplete.Add($"{key}: no summary");
            }

            if (!operation.TryGetProperty("operationId", out _))
            {
                incomplete.Add($"{key}: no operationId");
            }

            var success = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (success.Count == 0 || success.Any(r => r.Name != "204" && !r.Value.TryGetProperty("content", out _)))
            {
                incomplete.Add($"{key}: no typed success answer");
            }

            foreach (var error in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                if (!error.Value.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out _))
                {
                    incomplete.Add($"{key}: {error.Name} is not documented as application/problem+json");
                }
            }

            if (!responses.TryGetProperty("401", out _))
            {
                incomplete.Add($"{key}: no 401");
            }

            if (operation.TryGetProperty("requestBody", out _) && !responses.TryGetProperty("400", out _))
            {
                incomplete.Add($"{key}: takes a body but documents no 400");
            }

            if (!operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0)
            {
                incomplete.Add($"{key}: no security requirement");
            }
        }

        Assert.That(incomplete, Is.Empty);
    }

    [Test]
    public void The_document_names_the_operator_key_scheme()
    {
        var schemes = _document.GetProperty("components").GetProperty("securitySchemes");
        var apiKey = schemes.GetProperty("ApiKey");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(apiKey.GetProperty("type").GetString(), Is.EqualTo("apiKey"));
            Assert.That(apiKey.GetProperty("in").GetString(), Is.EqualTo("header"));
            Assert.That(apiKey.GetProperty("name").GetString(), Is.EqualTo("X-Api-Key"));
            Assert.That(schemes.GetProperty("CameraKey").GetProperty("name").GetString(), Is.EqualTo("X-Camera-Key"));
        }

        var register = _document.GetProperty("paths").GetProperty("/api/chargepoints").GetProperty("post");
        Assert.That(register.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name), Does.Contain("ApiKey"));
        var capture = _document.GetProperty("paths").GetProperty("/api/cameras/{id}/captures").GetProperty("post");
        Assert.That(capture.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name),
            Is.EquivalentTo(new[] { "CameraKey" }), "a camera posts with its own key, not the operator's");
    }

    [Test]
    public void Request_and_response_types_are_described()
    {
        var register = _document.GetProperty("paths").GetProperty("/api/chargepoints").GetProperty("post");
        string requestSchema = register.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText();
        string createdSchema = register.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText();
        var schemas = _document.GetProperty("components").GetProperty("schemas");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(requestSchema, Does.Contain("RegisterChargePointRequest"));
            Assert.That(createdSchema, Does.Contain("ChargePointView"));
            Assert.That(schemas.GetProperty("ChargePointView").GetProperty("properties").TryGetProperty("securityProfile", out _), Is.True);
            Assert.That(register.GetProperty("responses").TryGetProperty("409", out _), Is.True);
            var capture = _document.GetProperty("paths").GetProperty("/api/cameras/{id}/captures").GetProperty("post");
            Assert.That(capture.GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _), Is.True);
        }
    }

    [Test]
    public async Task The_reference_page_is_served_from_the_server_itself()
    {
        var page = await ApiResponse.ReadAsync(await _anonymous.GetAsync("/scalar"));
        Assert.That(page.Status, Is.EqualTo(HttpStatusCode.OK), page.Text);
        Assert.That(page.ContentType, Is.EqualTo("text/html"));

        // Every script and stylesheet the page loads comes from this server: nothing from a CDN at run time.
        var sources = AssetReference().Matches(page.Text).Select(m => m.Groups["url"].Value).ToList();
        Assert.That(sources, Is.Not.Empty, page.Text);
        Assert.That(sources.Where(s => s.Contains("//", StringComparison.Ordinal)), Is.Empty, page.Text);
        foreach (string source in sources)
        {
            var asset = await _anonymous.GetAsync(new Uri(new Uri(_server.BaseUri, "/scalar/"), source));
            Assert.That(asset.StatusCode, Is.EqualTo(HttpStatusCode.OK), source);
        }
    }

    [GeneratedRegex(@"<(?:script|link)[^>]*(?:src|href)=""(?<url>[^""]+)""")]
    private static partial Regex AssetReference();
}
