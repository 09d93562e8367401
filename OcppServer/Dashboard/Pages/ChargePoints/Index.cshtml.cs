using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OcppServer.Api;
using OcppServer.Authorization.Hardening;
using OcppServer.ChargePoints;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Operators;
using OcppServer.Registry;
using OcppServer.Security;

namespace OcppServer.Dashboard.Pages.ChargePoints;

/// <summary>The register form: the fields of the API's <see cref="RegisterChargePointRequest"/>.</summary>
public sealed class RegisterChargePointInput
{
    public string? Id { get; set; }

    public string? StationId { get; set; }

    /// <summary>The charger's AuthorizationKey; empty: one is generated (security profiles 1 and 2).</summary>
    public string? Password { get; set; }

    public bool AllowUnauthenticated { get; set; }

    public string? Authorization { get; set; } = ChargePointAuthorizationModes.Layered;

    public string? SecurityProfile { get; set; } = "1";
}

/// <summary>
/// Every registered charge point with its connection state (the live connection registry, as the API shows it),
/// filtered by state and id, 50 a page in id order; admins register new ones through the API's own handler.
/// </summary>
public sealed class IndexModel(
    IChargePointStore chargePoints, IHardeningStore hardening, ChargePointConnectionRegistry connections, IStationStore stations,
    ChargePointCertificateAuthority certificates, IOptionsMonitor<OcppOptions> ocpp, TimeProvider time) : DashboardPageModel
{
    public const int PageSize = 50;

    public static readonly string[] States = ["online", "offline", "faulted"];

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>Keyset paging: the page starts after this id (ordinal order).</summary>
    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    [BindProperty]
    public RegisterChargePointInput Input { get; set; } = new();

    public IReadOnlyList<ChargePointView> Rows { get; private set; } = [];

    public string? NextAfter { get; private set; }

    public int Matching { get; private set; }

    public IReadOnlyList<StationRecord> Stations { get; private set; } = [];

    /// <summary>The password of the charge point just registered: shown on this answer only, never stored in clear.</summary>
    public string? RegisteredPassword { get; private set; }

    public ChargePointView? Registered { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    [RequiresRole(OperatorRole.Admin)]
    public async Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken)
    {
        string? id = Blank(Input.Id);
        string? password = string.IsNullOrEmpty(Input.Password) ? null : Input.Password;
        int? profile = int.TryParse(Input.SecurityProfile, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) ? p : null;
        if (Blank(Input.SecurityProfile) is not null && profile is null)
        {
            ModelState.AddModelError("Input.SecurityProfile", "Invalid securityProfile: securityProfile is 0, 1, 2 or 3 (OCPP 1.6 security whitepaper).");
            await AuditAsync("chargepoint.register", id ?? "", null, "refused: invalid securityProfile");
            await LoadAsync(cancellationToken);
            return Page();
        }

        bool generated = false;
        if (password is null && !Input.AllowUnauthenticated && profile is null or SecurityProfiles.Basic or SecurityProfiles.TlsWithBasic)
        {
            password = AuthorizationKeyRotation.NewKey();
            generated = true;
        }

        var request = new RegisterChargePointRequest(
            id, Blank(Input.StationId), password, Input.AllowUnauthenticated ? true : null, Blank(Input.Authorization), profile);
        string detail = $"station {request.StationId ?? "none"}, profile {profile?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}, " +
                        $"authorization {request.Authorization ?? "default"}{(generated ? ", generated key" : "")}";
        var view = await RunApiAsync<ChargePointView>(
            await ChargePointsApi.RegisterAsync(request, chargePoints, stations, hardening, certificates, ocpp, time, cancellationToken),
            "chargepoint.register", id ?? "", detail);
        if (view is not null)
        {
            Registered = view;
            RegisteredPassword = password;
            Input = new RegisterChargePointInput();
            ModelState.Clear();
        }
        else
        {
            Input.Password = null;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Stations = await stations.ListAsync(cancellationToken);
        var all = await ChargePointsApi.ListAsync(chargePoints, hardening, connections, cancellationToken) is Ok<List<ChargePointView>> ok ? ok.Value! : [];
        string? state = States.Contains(State) ? State : null;
        State = state;
        string? q = Blank(Q);
        var matching = all
            .Where(c => state switch
            {
                "online" => c.Connected,
                "offline" => !c.Connected,
                "faulted" => IsFaulted(c),
                _ => true,
            })
            .Where(c => q is null || c.Id.Contains(q, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        Matching = matching.Count;
        string? after = Blank(After);
        var page = matching.Where(c => after is null || string.CompareOrdinal(c.Id, after) > 0).Take(PageSize + 1).ToList();
        NextAfter = page.Count > PageSize ? page[PageSize - 1].Id : null;
        Rows = page.Take(PageSize).ToList();
    }

    /// <summary>Faulted as the overview counts it: a connector of it reports Faulted.</summary>
    public static bool IsFaulted(ChargePointView c) => c.Connectors.Any(k => k.Status == "Faulted");

    public string PageLink(string? after) =>
        "/chargepoints?" + string.Join("&", new[] { ("state", State), ("q", Q), ("after", after) }
            .Where(kv => !string.IsNullOrEmpty(kv.Item2))
            .Select(kv => $"{kv.Item1}={Uri.EscapeDataString(kv.Item2!)}"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
