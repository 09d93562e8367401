using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OcppServer.Operators;
using OcppServer.Security;

namespace OcppServer.Dashboard.Pages.Account;

/// <summary>
/// Sign-in: a wrong name, a wrong password, a locked or disabled account all get the same words (the audit log keeps the
/// real reason); failures lock the account after <see cref="OperatorAccountOptions.MaxFailedSignIns"/> and count against
/// the source address like every other credential.
/// </summary>
public sealed class LoginModel(OperatorAccounts accounts, AuditTrail audit, CredentialFailureLimiter failures) : PageModel
{
    private const string Credential = "dashboard-sign-in";
    public const string Refused = "Wrong user name or password, or the account is locked after repeated failures. Try again later or ask an admin.";

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool NoAccounts { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        NoAccounts = await accounts.CountAsync(cancellationToken) == 0;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        string userName = (UserName ?? "").Trim();
        string? address = HttpContext.Connection.RemoteIpAddress?.ToString();
        // Limited per user name (known or not) and per source address, like every credential; the account's own lockout
        // comes on top (it survives restarts and holds on every node).
        string credential = $"{Credential}:{OperatorAccount.Normalize(userName)}";
        if (failures.IsLocked(credential, address))
        {
            await audit.RecordAsync("anonymous", "sign-in", Clip(userName), null, "refused: too many failed sign-ins from this address", address, cancellationToken);
            return Refuse(StatusCodes.Status429TooManyRequests);
        }

        var result = await accounts.SignInAsync(userName, Password ?? "", cancellationToken);
        if (!result.Succeeded)
        {
            failures.RecordFailure(credential, address);
            string actor = result.Account is null ? "anonymous" : AuditTrail.OperatorActor(result.Account.UserName);
            string why = result.Refusal switch
            {
                SignInRefusal.UnknownUser => "no such account",
                SignInRefusal.WrongPassword when result.LockedOutUntil is { } until => $"wrong password; locked until {until:u}",
                SignInRefusal.WrongPassword => "wrong password",
                SignInRefusal.LockedOut => $"locked until {result.LockedOutUntil:u}",
                SignInRefusal.Disabled => "account disabled",
                _ => result.Refusal.ToString(),
            };
            await audit.RecordAsync(actor, "sign-in", Clip(userName), null, "refused: " + why, address, cancellationToken);
            return Refuse(StatusCodes.Status200OK);
        }

        await HttpContext.SignInAsync(DashboardServiceCollectionExtensions.CookieScheme,
            DashboardServiceCollectionExtensions.PrincipalFor(result.Account!));
        await audit.RecordAsync(AuditTrail.OperatorActor(result.Account!.UserName), "sign-in", result.Account.UserName, null, "ok", address, cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private PageResult Refuse(int status)
    {
        Password = null;
        ModelState.Clear();
        ModelState.AddModelError("", Refused);
        Response.StatusCode = status;
        return Page();
    }

    private static string Clip(string userName) => userName.Length <= OperatorAccounts.MaxUserNameLength ? userName : userName[..OperatorAccounts.MaxUserNameLength];
}
