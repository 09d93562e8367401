namespace OcppServer.Transactions;

public sealed record TransactionRecord
{
    public int Id { get; init; }
    public string ChargePointId { get; init; } = "";
    public int ConnectorId { get; init; }
    public string IdTag { get; init; } = "";
    public int MeterStart { get; init; }
    public DateTimeOffset StartTimestamp { get; init; }
    public int? ReservationId { get; init; }
    public string StartStatus { get; init; } = "";
    public int? MeterStop { get; init; }
    public DateTimeOffset? StopTimestamp { get; init; }
    public string? StopReason { get; init; }
    public string? StopIdTag { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public long? DecisionId { get; init; }
    public string? PreVerificationId { get; init; }
    public long? VinReportId { get; init; }
    public long? BiometricTokenId { get; init; }
    public string? DriverId { get; init; }
    public string? VehicleId { get; init; }
}

public sealed record NewTransaction(
    string ChargePointId,
    int ConnectorId,
    string IdTag,
    int MeterStart,
    DateTimeOffset StartTimestamp,
    int? ReservationId,
    string StartStatus);

public sealed record TransactionStop(
    string ChargePointId,
    int TransactionId,
    int MeterStop,
    DateTimeOffset StopTimestamp,
    string? Reason,
    string? IdTag);

/// <summary>One sampled value, flattened for storage.</summary>
public sealed record MeterValueRecord
{
    public long Id { get; init; }
    public string ChargePointId { get; init; } = "";
    public int ConnectorId { get; init; }
    public int? TransactionId { get; init; }
    public string Source { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public string Value { get; init; } = "";
    public string? Context { get; init; }
    public string? Format { get; init; }
    public string? Measurand { get; init; }
    public string? Phase { get; init; }
    public string? Location { get; init; }
    public string? Unit { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}

public sealed record StartedTransaction(int TransactionId, string StartStatus, bool Created, bool EvidenceTaken);

/// <summary>Evidence and links a started transaction keeps.</summary>
public sealed record TransactionEvidence(
    string? PreVerificationId, long? VinReportId, long? BiometricTokenId, string? DriverId, string? VehicleId);

/// <summary>
/// Which transactions a list shows: <see cref="Running"/> true for those running (accepted, not stopped), false for the
/// stopped ones, null for all; of one charge point and of one id tag when given.
/// </summary>
public sealed record TransactionFilter(bool? Running = null, string? ChargePointId = null, string? IdTag = null);
