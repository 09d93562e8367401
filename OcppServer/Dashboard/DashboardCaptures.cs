using OcppServer.Api;
using OcppServer.Authorization.PreVerification;
using OcppServer.Storage;

namespace OcppServer.Dashboard;

/// <summary>
/// <c>GET /captures/{preVerificationId}/image</c>: the entrance camera's image of a pre-verification, for a signed-in
/// account (the dashboard's cookie; the API serves the same image to an API key). The image is found only by its
/// record's id, never by a path; 404 when the record has none (an attendant's record) or retention purged it.
/// </summary>
public static class DashboardCaptures
{
    public static void MapDashboardCaptures(this WebApplication app) =>
        app.MapGet("/captures/{preVerificationId}/image", async (
                    string preVerificationId, IPreVerificationStore records, ImageStore images, HttpContext context, CancellationToken cancellationToken) =>
                {
                    context.Response.Headers.XContentTypeOptions = "nosniff";
                    context.Response.Headers.CacheControl = "private, no-store";
                    context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; frame-ancestors 'none'";
                    return await PreVerificationsApi.GetImageAsync(preVerificationId, records, images, cancellationToken);
                })
            .RequireAuthorization(DashboardServiceCollectionExtensions.ViewerPolicy)
            .ExcludeFromDescription();
}
