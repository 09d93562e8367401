using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using OcppServer.Operators;

namespace OcppServer.Dashboard;

/// <summary>
/// The operator dashboard: Razor Pages rendered on the server (pages under <c>Dashboard/Pages</c>, assets under
/// <c>Dashboard/Assets</c> served from <c>/assets</c>), cookie sign-in for operator accounts with roles, antiforgery on
/// every form (Razor Pages validate it on every POST), and an audit record for every change.
/// </summary>
public static class DashboardServiceCollectionExtensions
{
    public const string CookieScheme = "OcppAuth.Dashboard";
    public const string StampClaim = "ocppauth:stamp";

    /// <summary>Policy names: <c>viewer</c> (any account), <c>operator</c> (operator or admin), <c>admin</c>.</summary>
    public const string ViewerPolicy = "viewer";
    public const string OperatorPolicy = "operator";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperatorAccountOptions>().Bind(configuration.GetSection(OperatorAccountOptions.Section))
            .Validate(o => o is { MaxFailedSignIns: > 0, LockoutMinutes: > 0, SessionMinutes: > 0, MinPasswordLength: >= 8 and <= 128 },
                $"{OperatorAccountOptions.Section}: MaxFailedSignIns, LockoutMinutes and SessionMinutes must be positive, MinPasswordLength 8 to 128")
            .Validate(o => string.IsNullOrEmpty(o.InitialAdmin.UserName) == string.IsNullOrEmpty(o.InitialAdmin.Password),
                $"{OperatorAccountOptions.Section}:InitialAdmin needs both UserName and Password")
            .ValidateOnStart();
        services.AddSingleton<OperatorAccounts>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<OverviewSnapshots>();

        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Dashboard/Pages";
            options.Conventions.AuthorizeFolder("/", ViewerPolicy);
            options.Conventions.AllowAnonymousToPage("/Account/Login");
        })
            // The pages are compiled into this assembly; named explicitly so they are found when it is not the entry
            // assembly (tests, benchmarks hosting the server).
            .AddApplicationPart(typeof(DashboardServiceCollectionExtensions).Assembly)
            .AddMvcOptions(options => options.Filters.Add<DashboardPageFilter>());

        services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = "ocppauth-session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/denied";
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = ValidatePrincipalAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<OperatorAccountOptions>>((cookie, accounts) =>
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(accounts.Value.SessionMinutes));
        services.AddAuthorizationBuilder()
            .AddPolicy(ViewerPolicy, p => p.RequireAuthenticatedUser().RequireRole("viewer", "operator", "admin"))
            .AddPolicy(OperatorPolicy, p => p.RequireAuthenticatedUser().RequireRole("operator", "admin"))
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole("admin"));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "ocppauth-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = "X-CSRF-TOKEN";
        });
        return services;
    }

    /// <summary>Every request re-reads the account: a disabled account, or a changed password or role, ends the session.</summary>
    private static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        string? id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        string? stamp = context.Principal?.FindFirstValue(StampClaim);
        var accounts = context.HttpContext.RequestServices.GetRequiredService<OperatorAccounts>();
        var account = id is null ? null : await accounts.GetAsync(id, context.HttpContext.RequestAborted);
        if (account is null || account.Disabled || stamp is null || !string.Equals(account.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    /// <summary>The claims of a signed-in account: id, name, role and the security stamp checked on every request.</summary>
    public static ClaimsPrincipal PrincipalFor(OperatorAccount account) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, account.Id),
                new Claim(ClaimTypes.Name, account.UserName),
                new Claim(ClaimTypes.Role, OperatorAccounts.RoleName(account.Role)),
                new Claim(StampClaim, account.SecurityStamp),
            ],
            CookieScheme, ClaimTypes.Name, ClaimTypes.Role));

    public static void MapDashboard(this WebApplication app)
    {
        string assets = Path.Combine(AppContext.BaseDirectory, "dashboard-assets");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(assets),
                RequestPath = "/assets",
                OnPrepareResponse = file =>
                {
                    file.Context.Response.Headers.CacheControl = "public, max-age=3600";
                    file.Context.Response.Headers.XContentTypeOptions = "nosniff";
                },
            });
        }

        app.MapRazorPages();
        app.MapDashboardLive();
    }
}
