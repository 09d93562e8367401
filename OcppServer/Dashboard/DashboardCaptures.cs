using OcppServer.Api;
using OcppServer.Authorization.PreVerification;
using OcppServer.Storage;

namespace OcppServer.Dashboard;

/// <summary>
/// <c>GET /captures/{preVerificationId}/image</c>: the entrance camera's image of a pre-verification, and
/// <c>GET /captures/{preVerificationId}/frames/{index}/image</c>: one frame of a burst record, for a signed-in account
/// (the dashboard's cookie; the API serves the same images to an API key). An image is found only by its record's id
/// (and the frame's index), never by a path; 404 when the record has none (an attendant's record, a single image has no
/// frames) or retention purged it.
/// </summary>
public static class DashboardCaptures
{
    public static void MapDashboardCaptures(this WebApplication app)
    {
        app.MapGet("/captures/{preVerificationId}/image", async (
                    string preVerificationId, IPreVerificationStore records, ImageStore images, HttpContext context, CancellationToken cancellationToken) =>
                {
                    SetImageHeaders(context.Response);
                    return await PreVerificationsApi.GetImageAsync(preVerificationId, records, images, cancellationToken);
                })
            .RequireAuthorization(DashboardServiceCollectionExtensions.ViewerPolicy)
            .ExcludeFromDescription();

        app.MapGet("/captures/{preVerificationId}/frames/{index:int}/image", async (
                    string preVerificationId, int index, ICapturePassageStore passages, ImageStore images, HttpContext context,
                    CancellationToken cancellationToken) =>
                {
                    SetImageHeaders(context.Response);
                    return await PreVerificationsApi.GetFrameImageAsync(preVerificationId, index, passages, images, cancellationToken);
                })
            .RequireAuthorization(DashboardServiceCollectionExtensions.ViewerPolicy)
            .ExcludeFromDescription();
    }

    private static void SetImageHeaders(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; frame-ancestors 'none'";
    }
}
