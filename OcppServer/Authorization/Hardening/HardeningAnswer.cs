namespace OcppServer.Authorization.Hardening;

/// <summary>What a charger answered to one offline-bypass hardening setting.</summary>
public sealed record HardeningAnswer
{
    public string ChargePointId { get; init; } = "";
    public string Setting { get; init; } = "";
    public string? Value { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset AnsweredAt { get; init; }
}
