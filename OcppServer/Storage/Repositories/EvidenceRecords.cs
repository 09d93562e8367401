namespace OcppServer.Storage.Repositories;

public sealed record VinReportRow
{
    public long Id { get; init; }
    public string ChargePointId { get; init; } = "";
    public int ConnectorId { get; init; }
    public string Vin { get; init; } = "";
    public string? EvccId { get; init; }
    public string? Protocol { get; init; }
    public bool Valid { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? DiscardedAt { get; init; }
}

public sealed record BiometricTokenRow
{
    public long Id { get; init; }
    public string ChargePointId { get; init; } = "";
    public int ConnectorId { get; init; }
    public string? Jti { get; init; }
    public string? KeyId { get; init; }
    public bool Verified { get; init; }
    public string? MatchedDriverId { get; init; }
    public double? Similarity { get; init; }
    public double? RunnerUpSimilarity { get; init; }
    public double? Liveness { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? DiscardedAt { get; init; }
    public long? ConsumedByTransactionId { get; init; }
}

public sealed record PreVerificationRow
{
    public string Id { get; init; } = "";
    public string StationId { get; init; } = "";
    public string? CameraId { get; init; }
    public string Source { get; init; } = "";
    public string? Plate { get; init; }
    public string Verdict { get; init; } = "";
    public double Confidence { get; init; }
    public string? VehicleId { get; init; }
    public string Reasons { get; init; } = "[]";
    public string? PlateHint { get; init; }
    public string? ImageSha256 { get; init; }
    public string? ImagePath { get; init; }
    public DateTimeOffset CapturedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public long? ConsumedByTransactionId { get; init; }
    public DateTimeOffset? ConsumedAt { get; init; }
}

public sealed record DecisionRow
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

public sealed record HardeningRow
{
    public string ChargePointId { get; init; } = "";
    public string Setting { get; init; } = "";
    public string? Value { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset AnsweredAt { get; init; }
}

/// <summary>Evidence and links a started transaction keeps.</summary>
public sealed record TransactionEvidence(
    string? PreVerificationId, long? VinReportId, long? BiometricTokenId, string? DriverId, string? VehicleId);
