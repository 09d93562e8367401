namespace OcppServer.Api;

/// <summary>ProblemDetails results shared by the API areas.</summary>
internal static class ApiProblems
{
    public static IResult BadRequest(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    public static IResult NotFound(string title) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    public static IResult Conflict(string title, string? detail = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

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
