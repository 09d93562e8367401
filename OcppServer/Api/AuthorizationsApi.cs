using System.Text.Json;
using OcppServer.Authorization.Decisions;

namespace OcppServer.Api;

/// <summary>
/// One decision of the gate. <see cref="Reason"/> is the name of a <see cref="DecisionReason"/> (as recorded, so a name
/// written by another version is shown as is) and <see cref="ReasonText"/> says it in words.
/// </summary>
public sealed record DecisionView(
    long Id,
    DateTimeOffset Time,
    string ChargePointId,
    int? ConnectorId,
    string IdTag,
    string Phase,
    string Result,
    string Reason,
    string ReasonText,
    string? DriverId,
    string? VehicleId,
    long? TransactionId,
    IReadOnlyList<FactorView> Factors);

/// <summary>One factor of a decision: whether it was required and passed, why (name and words), and the evidence it looked at.</summary>
public sealed record FactorView(string Factor, bool Required, bool Ok, string Reason, string ReasonText, string? EvidenceId, double? Score);

public static class AuthorizationsApi
{
    private static readonly JsonSerializerOptions FactorJson = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapAuthorizationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/authorizations", ListAsync).WithTags("Authorization").WithName("ListAuthorizationDecisions")
            .WithSummary("Decisions newest first, with each factor's result, reason and evidence")
            .Produces<List<DecisionView>>();
        return api;
    }

    public static async Task<IResult> ListAsync(string? chargePointId, int? limit, IDecisionStore decisions, CancellationToken cancellationToken) =>
        TypedResults.Ok((await decisions.ListAsync(chargePointId, ApiProblems.ClampLimit(limit), cancellationToken)).Select(ToView));

    /// <summary>A stored decision as the API (and the dashboard) shows it: reasons in words, factors read from their JSON.</summary>
    public static DecisionView ToView(DecisionRecord d) => new(
        d.Id, d.DecidedAt, d.ChargePointId, d.ConnectorId, d.IdTag, d.Phase, d.Result, d.Reason, Describe(d.Reason), d.DriverId, d.VehicleId,
        d.TransactionId,
        (JsonSerializer.Deserialize<StoredFactor[]>(d.Factors, FactorJson) ?? [])
            .Select(f => new FactorView(f.Factor, f.Required, f.Ok, f.Reason, Describe(f.Reason), f.EvidenceId, f.Score)).ToList());

    private static string Describe(string reason) => DecisionReasons.Describe(DecisionReasons.Parse(reason));

    /// <summary>A factor as recorded (its reason read as the name it was written with).</summary>
    private sealed record StoredFactor(string Factor, bool Required, bool Ok, string Reason, string? EvidenceId, double? Score);
}
