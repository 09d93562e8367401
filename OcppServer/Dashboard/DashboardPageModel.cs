using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OcppServer.Api;
using OcppServer.Operators;

namespace OcppServer.Dashboard;

/// <summary>
/// What every dashboard page shares: who is signed in and what they may do, the audit record of a change, and the
/// reuse of the API's own handlers, so a form is checked by exactly the rules the API applies.
/// </summary>
public abstract class DashboardPageModel : PageModel
{
    /// <summary>Set after a change succeeded; shown once on the next page (post/redirect/get).</summary>
    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Flash { get; set; }

    public string UserName => User.FindFirstValue(ClaimTypes.Name) ?? "";

    public bool CanOperate => DashboardPageFilter.HasRole(User, OperatorRole.Operator);

    public bool IsAdmin => DashboardPageFilter.HasRole(User, OperatorRole.Admin);

    public string? RemoteAddress => HttpContext.Connection.RemoteIpAddress?.ToString();

    protected Task AuditAsync(string action, string target, string? detail, string outcome) =>
        HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(
            AuditTrail.OperatorActor(UserName), action, target, detail, outcome, RemoteAddress, HttpContext.RequestAborted);

    /// <summary>
    /// The outcome of an API handler run for a form: its value when it succeeded; otherwise its problem is put in the
    /// model state (next to <c>prefix.Field</c> when the problem names a field, else for the whole form), and the
    /// change is audited as refused.
    /// </summary>
    protected async Task<T?> RunApiAsync<T>(IResult result, string action, string target, string? detail, string prefix = "Input")
        where T : class
    {
        switch (result)
        {
            // First: a problem carries a value too (its ProblemDetails), which T = object would take for an answer.
            case ProblemHttpResult problem:
                AddProblem(problem, prefix);
                await AuditAsync(action, target, detail, "refused: " + Describe(problem));
                return null;
            case IValueHttpResult { Value: T value }:
                await AuditAsync(action, target, detail, "ok");
                return value;
            case IStatusCodeHttpResult { StatusCode: >= 200 and < 300 }:
                await AuditAsync(action, target, detail, "ok");
                return null;
            default:
                ModelState.AddModelError("", "The server could not make this change.");
                await AuditAsync(action, target, detail, "refused");
                return null;
        }
    }

    /// <summary>As <see cref="RunApiAsync{T}"/> for a handler that answers with no body (204): whether it succeeded.</summary>
    protected async Task<bool> RunApiAsync(IResult result, string action, string target, string? detail, string prefix = "Input")
    {
        if (result is ProblemHttpResult problem)
        {
            AddProblem(problem, prefix);
            await AuditAsync(action, target, detail, "refused: " + Describe(problem));
            return false;
        }

        bool ok = result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } or IValueHttpResult;
        if (!ok)
        {
            ModelState.AddModelError("", "The server could not make this change.");
        }

        await AuditAsync(action, target, detail, ok ? "ok" : "refused");
        return ok;
    }

    private void AddProblem(ProblemHttpResult problem, string prefix)
    {
        string message = Describe(problem);
        if (problem.ProblemDetails.Extensions.TryGetValue(ApiProblems.FieldExtension, out var field) && field is string name && name.Length > 0)
        {
            ModelState.AddModelError($"{prefix}.{char.ToUpperInvariant(name[0])}{name[1..]}", message);
        }
        else
        {
            ModelState.AddModelError("", message);
        }
    }

    private static string Describe(ProblemHttpResult problem) =>
        string.IsNullOrEmpty(problem.ProblemDetails.Detail)
            ? problem.ProblemDetails.Title ?? "Refused"
            : $"{problem.ProblemDetails.Title}: {problem.ProblemDetails.Detail}";
}
