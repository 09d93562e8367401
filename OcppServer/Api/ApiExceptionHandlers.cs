using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc;

namespace OcppServer.Api;

public static class ApiProblemDetails
{
    /// <summary>
    /// Every error as RFC 9457 ProblemDetails that says what was wrong: bodies the endpoint cannot bind are thrown
    /// (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>) and answered by <see cref="BadRequestProblemHandler"/>; the
    /// answers without a body of their own (an unknown route, a method the route does not take, a media type other than
    /// JSON), written by the status code pages, get a detail.
    /// </summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblemHandler>();
        services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = Describe);
        return services;
    }

    private static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound when context.HttpContext.GetEndpoint() is null =>
                $"Nothing is served at {request.Path}; the API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not one of the methods {request.Path} takes.",
            // The JSON endpoints' answer; the camera's (multipart) says what it expects in its title.
            StatusCodes.Status415UnsupportedMediaType when problem.Title == ReasonPhrases.GetReasonPhrase(StatusCodes.Status415UnsupportedMediaType) =>
                $"Send the body as JSON (Content-Type: application/json), not {request.ContentType ?? "without a Content-Type"}.",
            _ => null,
        };
    }
}

/// <summary>
/// A request the endpoint could not bind (malformed or mistyped JSON, a media type other than JSON, a body over the
/// limit, a missing required value) is the caller's error: its status (400, 413, 415) as ProblemDetails saying what
/// was wrong, instead of the 500 of an unhandled exception. Minimal APIs throw it because
/// <see cref="RouteHandlerOptions.ThrowOnBadRequest"/> is set, so that the reason reaches the caller.
/// </summary>
internal sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Invalid request",
                },
                Detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message,
            },
        });
        return true;
    }
}
