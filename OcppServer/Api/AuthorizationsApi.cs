using System.Text.Json;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Gate;

namespace OcppServer.Api;

public sealed record DecisionView(
    long Id,
    DateTimeOffset Time,
    string ChargePointId,
    int? ConnectorId,
    string IdTag,
    string Phase,
    string Result,
    string Reason,
    string? DriverId,
    string? VehicleId,
    long? TransactionId,
    IReadOnlyList<FactorResult> Factors);

public static class AuthorizationsApi
{
    private static readonly JsonSerializerOptions FactorJson = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapAuthorizationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/authorizations", ListAsync).WithTags("Authorization").WithName("ListAuthorizationDecisions")
            .WithSummary("Decisions newest first, with each factor's result, reason and evidence");
        return api;
    }

    public static async Task<IResult> ListAsync(string? chargePointId, int? limit, IDecisionStore decisions, CancellationToken cancellationToken) =>
        TypedResults.Ok((await decisions.ListAsync(chargePointId, ApiProblems.ClampLimit(limit), cancellationToken)).Select(d => new DecisionView(
            d.Id, d.DecidedAt, d.ChargePointId, d.ConnectorId, d.IdTag, d.Phase, d.Result, d.Reason, d.DriverId, d.VehicleId, d.TransactionId,
            JsonSerializer.Deserialize<FactorResult[]>(d.Factors, FactorJson) ?? [])));
}
