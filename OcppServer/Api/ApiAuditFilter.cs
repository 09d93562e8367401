using Microsoft.AspNetCore.Routing.Patterns;
using OcppServer.Operators;

namespace OcppServer.Api;

/// <summary>
/// Writes every change made through the API (POST, PUT, PATCH, DELETE under <c>/api</c>) to the audit log: which key
/// (by its position in Api:Keys, never the key), the route, the id it concerned, the answer's status. Bodies are not
/// recorded: they may hold passwords, keys or templates.
/// </summary>
public sealed class ApiAuditFilter(AuditTrail audit) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            return await next(context);
        }

        object? result = null;
        string outcome = "failed";
        try
        {
            result = await next(context);
            int status = result switch
            {
                IStatusCodeHttpResult { StatusCode: { } code } => code,
                _ => http.Response.StatusCode,
            };
            outcome = status is >= 200 and < 300 ? "ok" : $"refused: {status}";
            return result;
        }
        finally
        {
            string actor = http.Items[OperatorKeyMiddleware.ActorItem] as string ?? "api";
            string route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
            string target = Target(http.Request.RouteValues) ?? CreatedId(result) ?? "";
            // The change is committed (or refused) already; its audit record must not be lost to a client that hung up.
            await audit.RecordAsync(actor, $"{http.Request.Method} {route}", target, null, outcome,
                http.Connection.RemoteIpAddress?.ToString(), CancellationToken.None);
        }
    }

    /// <summary>What a create made: the last segment of its Location (Created and Created&lt;T&gt; carry it).</summary>
    private static string? CreatedId(object? result) =>
        result?.GetType().GetProperty("Location")?.GetValue(result) is string { Length: > 0 } location
            ? Uri.UnescapeDataString(location.TrimEnd('/').Split('/')[^1])
            : null;

    private static string? Target(RouteValueDictionary values)
    {
        foreach (string key in (string[])["id", "chargePointId", "transactionId", "idTag", "requestId"])
        {
            if (values.TryGetValue(key, out var value) && value is not null)
            {
                return value.ToString();
            }
        }

        return null;
    }
}
