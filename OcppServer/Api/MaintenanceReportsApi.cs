using OcppServer.ChargePoints;
using OcppServer.Maintenance;

namespace OcppServer.Api;

/// <summary>A status a charge point reported for a signed firmware update or a log upload.</summary>
public sealed record MaintenanceReportView(string Status, int? RequestId, DateTimeOffset ReceivedAt);

/// <summary>The latest status and the history, newest first.</summary>
public sealed record MaintenanceStatusView(string ChargePointId, MaintenanceReportView? Latest, IReadOnlyList<MaintenanceReportView> History);

/// <summary>What charge points report about SignedUpdateFirmware (SignedFirmwareStatusNotification) and GetLog (LogStatusNotification).</summary>
public static class MaintenanceReportsApi
{
    public static RouteGroupBuilder MapMaintenanceReportsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/chargepoints/{id}").WithTags("Charge points");
        group.MapGet("/firmware-status", FirmwareStatusAsync).WithName("GetSignedFirmwareStatus")
            .WithSummary("SignedFirmwareStatusNotification of the charge point: the latest and the history, newest first")
            .Produces<MaintenanceStatusView>().ProducesProblems(404);
        group.MapGet("/log-status", LogStatusAsync).WithName("GetLogStatus")
            .WithSummary("LogStatusNotification of the charge point: the latest and the history, newest first")
            .Produces<MaintenanceStatusView>().ProducesProblems(404);
        return api;
    }

    public static Task<IResult> FirmwareStatusAsync(
        string id, int? limit, IChargePointStore chargePoints, IMaintenanceReportStore reports, CancellationToken cancellationToken) =>
        ViewAsync(id, MaintenanceReportKinds.SignedFirmware, limit, chargePoints, reports, cancellationToken);

    public static Task<IResult> LogStatusAsync(
        string id, int? limit, IChargePointStore chargePoints, IMaintenanceReportStore reports, CancellationToken cancellationToken) =>
        ViewAsync(id, MaintenanceReportKinds.Log, limit, chargePoints, reports, cancellationToken);

    private static async Task<IResult> ViewAsync(
        string id, string kind, int? limit, IChargePointStore chargePoints, IMaintenanceReportStore reports, CancellationToken cancellationToken)
    {
        if (await chargePoints.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"Charge point {id} is not registered");
        }

        var history = (await reports.ListAsync(id, kind, ApiProblems.ClampLimit(limit), cancellationToken))
            .Select(r => new MaintenanceReportView(r.Status, r.RequestId, r.ReceivedAt)).ToList();
        return TypedResults.Ok(new MaintenanceStatusView(id, history.FirstOrDefault(), history));
    }
}
