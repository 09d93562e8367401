namespace ChargePointSimulator.Ocpp;

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

public enum ChargingRateUnit { A, W }

public enum ChargingProfilePurpose { ChargePointMaxProfile, TxDefaultProfile, TxProfile }

public enum ChargingProfileKind { Absolute, Recurring, Relative }

public enum RecurrencyKind { Daily, Weekly }

public sealed record ChargingSchedule(
    ChargingRateUnit ChargingRateUnit,
    IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod,
    int? Duration = null,
    DateTimeOffset? StartSchedule = null,
    decimal? MinChargingRate = null);

public sealed record ChargingProfile(
    int ChargingProfileId,
    int StackLevel,
    ChargingProfilePurpose ChargingProfilePurpose,
    ChargingProfileKind ChargingProfileKind,
    ChargingSchedule ChargingSchedule,
    int? TransactionId = null,
    RecurrencyKind? RecurrencyKind = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidTo = null);

public sealed record KeyValue(string Key, bool Readonly, string? Value = null);

public sealed record AuthorizationData(string IdTag, IdTagInfo? IdTagInfo = null);

/// <summary>Connector states of OCPP 1.6 §7.7.</summary>
public enum ChargePointStatus { Available, Preparing, Charging, SuspendedEVSE, SuspendedEV, Finishing, Reserved, Unavailable, Faulted }

public enum ChargePointErrorCode
{
    ConnectorLockFailure, EVCommunicationError, GroundFailure, HighTemperature, InternalError, LocalListConflict, NoError, OtherError,
    OverCurrentFailure, PowerMeterFailure, PowerSwitchFailure, ReaderFailure, ResetFailure, UnderVoltage, OverVoltage, WeakSignal,
}

/// <summary>Why a transaction stopped (StopTransaction.reason).</summary>
public enum StopReason { EmergencyStop, EVDisconnected, HardReset, Local, Other, PowerLoss, Reboot, Remote, SoftReset, UnlockCommand, DeAuthorized }

/// <summary>Measurand names of OCPP 1.6 §7.31 that the simulated meter can produce.</summary>
public static class Measurands
{
    public const string EnergyActiveImportRegister = "Energy.Active.Import.Register";
    public const string PowerActiveImport = "Power.Active.Import";
    public const string CurrentImport = "Current.Import";
    public const string CurrentOffered = "Current.Offered";
    public const string PowerOffered = "Power.Offered";
    public const string Voltage = "Voltage";
    public const string SoC = "SoC";
    public const string Temperature = "Temperature";
    public const string Frequency = "Frequency";

    public static IReadOnlySet<string> Supported { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        EnergyActiveImportRegister, PowerActiveImport, CurrentImport, CurrentOffered, PowerOffered, Voltage, SoC, Temperature, Frequency,
    };
}

/// <summary>SampledValue.context values.</summary>
public static class ReadingContexts
{
    public const string SamplePeriodic = "Sample.Periodic";
    public const string SampleClock = "Sample.Clock";
    public const string TransactionBegin = "Transaction.Begin";
    public const string TransactionEnd = "Transaction.End";
    public const string Trigger = "Trigger";
}
