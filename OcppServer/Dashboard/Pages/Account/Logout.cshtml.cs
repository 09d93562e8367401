using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using OcppServer.Operators;

namespace OcppServer.Dashboard.Pages.Account;

public sealed class LogoutModel : DashboardPageModel
{
    public void OnGet()
    {
    }

    [RequiresRole(OperatorRole.Viewer)]
    public async Task<IActionResult> OnPostAsync()
    {
        await AuditAsync("sign-out", UserName, null, "ok");
        await HttpContext.SignOutAsync(DashboardServiceCollectionExtensions.CookieScheme);
        return Redirect("/account/login");
    }
}
