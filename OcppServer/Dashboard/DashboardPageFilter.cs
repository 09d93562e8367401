using System.Reflection;
using Microsoft.AspNetCore.Mvc.Filters;
using OcppServer.Operators;

namespace OcppServer.Dashboard;

/// <summary>
/// The role a page handler that changes something needs (a page's GET is open to every signed-in account). A POST
/// handler without it is refused: every change says who may make it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRoleAttribute(OperatorRole role) : Attribute
{
    public OperatorRole Role { get; } = role;
}

/// <summary>
/// For every dashboard page: security headers (a strict content security policy: no inline script, nothing from
/// elsewhere; no framing), and the role check of <see cref="RequiresRoleAttribute"/> on handlers that change state.
/// </summary>
public sealed class DashboardPageFilter : IAsyncPageFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";

        string method = context.HttpContext.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && context.HttpContext.User.Identity?.IsAuthenticated == true)
        {
            var required = context.HandlerMethod?.MethodInfo.GetCustomAttribute<RequiresRoleAttribute>()?.Role ?? OperatorRole.Admin;
            if (!HasRole(context.HttpContext.User, required))
            {
                context.Result = new Microsoft.AspNetCore.Mvc.ForbidResult();
                return;
            }
        }

        await next();
    }

    public static bool HasRole(System.Security.Claims.ClaimsPrincipal user, OperatorRole required) =>
        required switch
        {
            OperatorRole.Admin => user.IsInRole("admin"),
            OperatorRole.Operator => user.IsInRole("admin") || user.IsInRole("operator"),
            _ => user.IsInRole("admin") || user.IsInRole("operator") || user.IsInRole("viewer"),
        };
}
