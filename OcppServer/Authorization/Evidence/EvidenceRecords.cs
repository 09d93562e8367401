namespace OcppServer.Authorization.Evidence;

public sealed record VinReportRecord
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

public sealed record BiometricTokenRecord
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
