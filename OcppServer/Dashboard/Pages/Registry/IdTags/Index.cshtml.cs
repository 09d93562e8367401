using Microsoft.AspNetCore.Mvc;
using OcppServer.Api;
using OcppServer.Operators;
using OcppServer.Registry;

namespace OcppServer.Dashboard.Pages.Registry.IdTags;

public sealed class IdTagInput
{
    public string? IdTag { get; set; }

    public string? Status { get; set; } = "Accepted";

    /// <summary>UTC, as a datetime-local field sends it.</summary>
    public DateTime? ExpiryDate { get; set; }

    public string? ParentIdTag { get; set; }

    public IdTagRequest ToRequest() => new(
        IdTag?.Trim(), string.IsNullOrEmpty(Status) ? null : Status,
        ExpiryDate is { } expiry ? new DateTimeOffset(DateTime.SpecifyKind(expiry, DateTimeKind.Utc)) : null,
        string.IsNullOrWhiteSpace(ParentIdTag) ? null : ParentIdTag.Trim());
}

/// <summary>Id tags in order (keyset pages of 50); operators create, change and block them through the API's handlers.</summary>
public sealed class IndexModel(IIdTagStore idTags, TimeProvider time) : DashboardPageModel
{
    public const int PageSize = 50;

    [BindProperty]
    public IdTagInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>The id tag whose edit form is shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Edit { get; set; }

    public bool Editing { get; private set; }

    public IReadOnlyList<IdTagRecord> Tags { get; private set; } = [];

    public string? NextAfter { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(Edit))
        {
            if (await idTags.GetAsync(Edit, cancellationToken) is not { } tag)
            {
                return NotFound();
            }

            Editing = true;
            Input = new IdTagInput { IdTag = tag.IdTag, Status = tag.Status, ExpiryDate = tag.ExpiryDate?.UtcDateTime, ParentIdTag = tag.ParentIdTag };
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var request = Input.ToRequest();
            var created = await RunApiAsync<IdTagView>(
                await IdTagsApi.CreateAsync(request, idTags, time, cancellationToken), "idtag.create", request.IdTag ?? "", Describe(request));
            if (created is not null)
            {
                Flash = $"Id tag {created.IdTag} created ({created.Status}).";
                return RedirectToPage();
            }
        }
        else
        {
            await AuditAsync("idtag.create", Input.IdTag ?? "", null, "refused: invalid form");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken)
    {
        Editing = true;
        var request = Input.ToRequest();
        string idTag = request.IdTag ?? "";
        if (ModelState.IsValid)
        {
            var updated = await RunApiAsync<IdTagView>(
                await IdTagsApi.UpdateAsync(idTag, request, idTags, time, cancellationToken), "idtag.update", idTag, Describe(request));
            if (updated is not null)
            {
                Flash = $"Id tag {updated.IdTag} saved ({updated.Status}).";
                return RedirectToPage();
            }
        }
        else
        {
            await AuditAsync("idtag.update", idTag, null, "refused: invalid form");
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    [RequiresRole(OperatorRole.Operator)]
    public async Task<IActionResult> OnPostBlockAsync(string idTag, CancellationToken cancellationToken)
    {
        var blocked = await RunApiAsync<IdTagView>(await IdTagsApi.BlockAsync(idTag, idTags, time, cancellationToken), "idtag.block", idTag, null);
        if (blocked is not null)
        {
            Flash = $"Id tag {blocked.IdTag} blocked.";
            return RedirectToPage();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private static string Describe(IdTagRequest r) =>
        $"status {r.Status}, expires {r.ExpiryDate?.ToString("u") ?? "never"}, parent {r.ParentIdTag ?? "none"}";

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await idTags.ListAfterAsync(string.IsNullOrEmpty(After) ? null : After, PageSize + 1, cancellationToken);
        Tags = rows.Take(PageSize).ToList();
        NextAfter = rows.Count > PageSize ? Tags[^1].IdTag : null;
    }
}
