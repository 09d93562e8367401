namespace OcppServer.Ocpp.Messages;

public enum AuthorizationStatus { Accepted, Blocked, Expired, Invalid, ConcurrentTx }

public sealed record IdTagInfo(AuthorizationStatus Status, DateTimeOffset? ExpiryDate = null, string? ParentIdTag = null);

public sealed record SampledValue(
    string Value,
    string? Context = null,
    string? Format = null,
    string? Measurand = null,
    string? Phase = null,
    string? Location = null,
    string? Unit = null);

public sealed record MeterValue(DateTimeOffset Timestamp, IReadOnlyList<SampledValue> SampledValue);

public sealed record ChargingSchedulePeriod(int StartPeriod, decimal Limit, int? NumberPhases = null);

public sealed record ChargingSchedule(
    string ChargingRateUnit,
    IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod,
    int? Duration = null,
    DateTimeOffset? StartSchedule = null,
    decimal? MinChargingRate = null);

public sealed record ChargingProfile(
    int ChargingProfileId,
    int StackLevel,
    string ChargingProfilePurpose,
    string ChargingProfileKind,
    ChargingSchedule ChargingSchedule,
    int? TransactionId = null,
    string? RecurrencyKind = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidTo = null);

public sealed record KeyValue(string Key, bool Readonly, string? Value = null);

public sealed record AuthorizationData(string IdTag, IdTagInfo? IdTagInfo = null);
