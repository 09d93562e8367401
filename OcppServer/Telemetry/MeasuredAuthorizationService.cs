using System.Diagnostics;
using OcppServer.Authorization;

namespace OcppServer.Telemetry;

/// <summary>
/// The gate, measured: each decision is counted by phase, result and reason, timed, and traced as
/// <c>ocppauth.decision</c> (phase, charge point, connector, result, reason; never the id tag).
/// </summary>
public sealed class MeasuredAuthorizationService(IAuthorizationService gate, OcppAuthTelemetry telemetry) : IAuthorizationService
{
    public Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken) =>
        MeasureAsync(request, static (gate, request, token) => gate.AuthorizeAsync(request, token), cancellationToken);

    public Task<AuthorizationResult> DecideAsync(AuthorizationRequest request, CancellationToken cancellationToken) =>
        MeasureAsync(request, static (gate, request, token) => gate.DecideAsync(request, token), cancellationToken);

    private async Task<AuthorizationResult> MeasureAsync(
        AuthorizationRequest request, Func<IAuthorizationService, AuthorizationRequest, CancellationToken, Task<AuthorizationResult>> decide,
        CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var activity = telemetry.ActivitySource.HasListeners() ? telemetry.ActivitySource.StartActivity("ocppauth.decision") : null;
        if (activity is not null)
        {
            activity.SetTag("decision.phase", OcppAuthTelemetry.PhaseName(request.Phase)).SetTag("ocpp.charge_point.id", request.ChargePointId);
            if (request.ConnectorId is { } connector)
            {
                activity.SetTag("ocpp.connector_id", connector);
            }
        }

        var result = await decide(gate, request, cancellationToken);
        telemetry.Decided(request.Phase, result, Stopwatch.GetElapsedTime(started));
        if (activity is not null)
        {
            OcppAuthTelemetry.Tag(activity, result);
        }

        return result;
    }
}
