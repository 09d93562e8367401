using Microsoft.Extensions.Options;
using OcppServer.ChargePoints;
using OcppServer.Registry;

namespace OcppServer.Authorization.Evidence;

public sealed record VinReport(int ConnectorId, string Vin, string? EvccId, string? Protocol);

/// <summary>Stores the VIN a charger read over ISO 15118 as the connector's VIN evidence (malformed ones too, marked invalid).</summary>
public sealed class VehicleIdentificationService(IEvidenceStore evidence, IOptionsMonitor<AuthorizationOptions> options, TimeProvider time)
{
    /// <summary>
    /// Returns null when stored as valid evidence, otherwise the reason (e.g. InvalidVin). <paramref name="transfer"/>,
    /// the DataTransfer that carried the report, is logged in the same commit, answered accordingly.
    /// </summary>
    public async Task<string?> RecordAsync(string chargePointId, VinReport report, DataTransferRecord? transfer, CancellationToken cancellationToken)
    {
        string vin = VinValidator.Normalize(report.Vin);
        var problem = VinValidator.Check(vin, options.CurrentValue.RequireVinCheckDigit);
        string? reason = problem == VinProblem.None ? null : "InvalidVin";
        await evidence.InsertVinReportAsync(new VinReportRecord
        {
            ChargePointId = chargePointId,
            ConnectorId = report.ConnectorId,
            Vin = vin,
            EvccId = report.EvccId,
            Protocol = report.Protocol,
            Valid = reason is null,
            Reason = reason,
            ReceivedAt = time.GetUtcNow(),
        }, transfer?.Answered(accepted: reason is null), cancellationToken);
        return reason;
    }
}
