namespace OcppServer.Authorization.PreVerification;

/// <summary>A pre-verification: what the entrance camera (or an attendant) saw, and whether it matched a registered vehicle.</summary>
public sealed record PreVerificationRecord
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
