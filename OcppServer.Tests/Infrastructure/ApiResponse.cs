using System.Net;
using System.Text.Json;

namespace OcppServer.Tests.Infrastructure;

/// <summary>An HTTP API response read completely, for assertions on status, content type and JSON body.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? ContentType, string Text, Uri? Location)
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The body as JSON (fails the test when it is not JSON).</summary>
    public JsonElement Json
    {
        get
        {
            Assert.That(Text, Is.Not.Empty, $"HTTP {(int)Status} has no body");
            return JsonDocument.Parse(Text).RootElement;
        }
    }

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync();
            return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, response.Headers.Location);
        }
    }

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public JsonElement AssertStatus(HttpStatusCode expected)
    {
        Assert.That(Status, Is.EqualTo(expected), $"HTTP body: {Text}");
        return Text.Length == 0 ? default : Json;
    }

    /// <summary>Asserts a ProblemDetails response (RFC 9457) with the given status.</summary>
    public JsonElement AssertProblem(HttpStatusCode expected)
    {
        Assert.That(Status, Is.EqualTo(expected), $"HTTP body: {Text}");
        Assert.That(ContentType, Is.EqualTo(ProblemContentType), Text);
        var problem = Json;
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)expected), Text);
        return problem;
    }
}
