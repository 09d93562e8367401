using OcppServer.Security;

namespace OcppServer.Api;

/// <summary>
/// A security event: <see cref="Source"/> <c>ChargePoint</c> (its SecurityEventNotification, <see cref="OccurredAt"/> its
/// timestamp) or <c>CentralSystem</c> (noticed by this server).
/// </summary>
public sealed record SecurityEventView(
    long Id, string? ChargePointId, string Source, string Type, string? TechInfo, string? RemoteAddress, DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt);

public static class SecurityEventsApi
{
    public static RouteGroupBuilder MapSecurityEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/security-events", ListAsync).WithTags("Security").WithName("ListSecurityEvents")
            .WithSummary("Security events newest first: reported by charge points and noticed by the server")
            .Produces<List<SecurityEventView>>();
        return api;
    }

    public static async Task<IResult> ListAsync(string? chargePointId, int? limit, ISecurityEventLog events, CancellationToken cancellationToken) =>
        TypedResults.Ok((await events.ListAsync(chargePointId, ApiProblems.ClampLimit(limit), cancellationToken))
            .Select(e => new SecurityEventView(e.Id, e.ChargePointId, e.Source, e.Type, e.TechInfo, e.RemoteAddress, e.OccurredAt, e.RecordedAt))
            .ToList());
}
