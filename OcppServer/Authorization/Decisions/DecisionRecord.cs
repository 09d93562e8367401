namespace OcppServer.Authorization.Decisions;

/// <summary>One recorded decision of the gate, with its factors (JSON) and the reason named.</summary>
public sealed record DecisionRecord
{
    public long Id { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
    public string ChargePointId { get; init; } = "";
    public int? ConnectorId { get; init; }
    public string IdTag { get; init; } = "";
    public string Phase { get; init; } = "";
    public string Result { get; init; } = "";
    public string? DriverId { get; init; }
    public string? VehicleId { get; init; }
    public long? TransactionId { get; init; }
    public string Reason { get; init; } = "";
    public string Factors { get; init; } = "[]";
}
