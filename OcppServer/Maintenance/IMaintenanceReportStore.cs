namespace OcppServer.Maintenance;

/// <summary>What a charge point reports about a long-running maintenance job (OCPP 1.6 security whitepaper).</summary>
public static class MaintenanceReportKinds
{
    /// <summary>SignedFirmwareStatusNotification: a SignedUpdateFirmware's download, signature check and installation.</summary>
    public const string SignedFirmware = nameof(SignedFirmware);

    /// <summary>LogStatusNotification: a GetLog's upload.</summary>
    public const string Log = nameof(Log);
}

/// <summary>One status a charge point reported, with the request id of the job it belongs to (when it gave one).</summary>
public sealed record MaintenanceReport
{
    public long Id { get; init; }

    public string ChargePointId { get; init; } = "";

    /// <summary>One of <see cref="MaintenanceReportKinds"/>.</summary>
    public string Kind { get; init; } = "";

    public string Status { get; init; } = "";

    public int? RequestId { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>Signed firmware and log upload statuses per charge point. Every write is committed before its task completes.</summary>
public interface IMaintenanceReportStore
{
    Task RecordAsync(MaintenanceReport report, CancellationToken cancellationToken);

    /// <summary>The charge point's reports of <paramref name="kind"/>, newest first.</summary>
    Task<IReadOnlyList<MaintenanceReport>> ListAsync(string chargePointId, string kind, int limit, CancellationToken cancellationToken);
}
