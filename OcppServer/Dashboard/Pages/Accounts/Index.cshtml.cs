using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Operators;

namespace OcppServer.Dashboard.Pages.Accounts;

public sealed class NewAccountInput
{
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string? Role { get; set; } = "viewer";
}

/// <summary>Admins manage operator accounts; the last enabled admin can be neither demoted nor disabled.</summary>
[Authorize(Policy = DashboardServiceCollectionExtensions.AdminPolicy)]
public sealed class IndexModel(OperatorAccounts accounts, TimeProvider time) : DashboardPageModel
{
    [BindProperty]
    public NewAccountInput Input { get; set; } = new();

    public IReadOnlyList<OperatorAccount> Accounts { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public int MinPasswordLength => accounts.Options.MinPasswordLength;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (!OperatorAccounts.TryParseRole(Input.Role, out var role))
        {
            ModelState.AddModelError("Input.Role", "The role is viewer, operator or admin.");
        }

        string detail = $"role {Input.Role}";
        if (ModelState.IsValid)
        {
            var (account, problems) = await accounts.CreateAsync(Input.UserName, Input.Password, role, cancellationToken);
            foreach (var problem in problems)
            {
                ModelState.AddModelError("Input." + problem.Field, problem.Message);
            }

            await AuditAsync("account.create", Input.UserName ?? "", detail,
                account is null ? "refused: " + string.Join(" ", problems.Select(p => p.Message)) : "ok");
            if (account is not null)
            {
                Flash = $"Account {account.UserName} created ({OperatorAccounts.RoleName(role)}).";
                return RedirectToPage();
            }
        }
        else
        {
            await AuditAsync("account.create", Input.UserName ?? "", detail, "refused: invalid role");
        }

        Input.Password = null;
        await LoadAsync(cancellationToken);
        return Page();
    }

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostRoleAsync(string id, string? role, CancellationToken cancellationToken)
    {
        AccountProblem? problem = OperatorAccounts.TryParseRole(role, out var parsed)
            ? await accounts.SetRoleAsync(id, parsed, cancellationToken)
            : new AccountProblem("Role", "The role is viewer, operator or admin.");
        return await DoneAsync("account.role", id, $"role {role}", problem, cancellationToken);
    }

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostDisableAsync(string id, CancellationToken cancellationToken) =>
        await DoneAsync("account.disable", id, null, await accounts.SetDisabledAsync(id, true, cancellationToken), cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostEnableAsync(string id, CancellationToken cancellationToken) =>
        await DoneAsync("account.enable", id, null, await accounts.SetDisabledAsync(id, false, cancellationToken), cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostPasswordAsync(string id, string? password, CancellationToken cancellationToken)
    {
        var problems = await accounts.SetPasswordAsync(id, password, cancellationToken);
        return await DoneAsync("account.password", id, null, problems.Count == 0 ? null : problems[0], cancellationToken);
    }

    private async Task<IActionResult> DoneAsync(string action, string id, string? detail, AccountProblem? problem, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(id, cancellationToken);
        string target = account?.UserName ?? id;
        await AuditAsync(action, target, detail, problem is null ? "ok" : "refused: " + problem.Message);
        if (problem is null)
        {
            Flash = $"{target}: {action["account.".Length..]} changed.";
            return RedirectToPage();
        }

        ModelState.AddModelError("", $"{target}: {problem.Message}");
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Accounts = await accounts.ListAsync(cancellationToken);
        Now = time.GetUtcNow();
    }
}
