using Microsoft.AspNetCore.Mvc;
using OcppServer.Operators;

namespace OcppServer.Dashboard.Pages.Audit;

public sealed class IndexModel(AuditTrail audit) : DashboardPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public AuditPage Log { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Log = await audit.ListAsync(Before, PageSize, NullIfBlank(Actor), NullIfBlank(Target), cancellationToken);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
