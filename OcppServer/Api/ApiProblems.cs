namespace OcppServer.Api;

/// <summary>ProblemDetails results shared by the API areas.</summary>
internal static class ApiProblems
{
    /// <summary>
    /// A 400 that says why; <paramref name="field"/> names the request's property at fault (camelCase, as in the JSON),
    /// sent as the problem's <c>field</c> extension: API clients and the dashboard's forms show the message next to it.
    /// </summary>
    public static IResult BadRequest(string title, string? detail = null, string? field = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { [FieldExtension] = field });

    /// <summary>The ProblemDetails extension that names the field a 400 is about.</summary>
    public const string FieldExtension = "field";

    public static IResult NotFound(string title) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    /// <summary>A 409; <paramref name="field"/> names the property whose value is taken, as in <see cref="BadRequest"/>.</summary>
    public static IResult Conflict(string title, string? detail = null, string? field = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { [FieldExtension] = field });

    public static int ClampLimit(int? limit, int fallback = 50, int max = 1000) => Math.Clamp(limit ?? fallback, 1, max);

    /// <summary>Documents the ProblemDetails answers (application/problem+json) an endpoint gives with these statuses.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (int statusCode in statusCodes)
        {
            builder.ProducesProblem(statusCode);
        }

        return builder;
    }
}
