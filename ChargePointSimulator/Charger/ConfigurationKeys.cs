namespace ChargePointSimulator.Charger;

public enum ConfigurationValueKind { Boolean, Integer, MeasurandList, Text }

/// <summary>One configuration key: its type, whether the central system may change it, and whether a change needs a reboot.</summary>
public sealed record ConfigurationKeyDefinition(
    string Key, ConfigurationValueKind Kind, bool ReadOnly, string DefaultValue, bool RebootRequired = false, string? MaxLengthKey = null);

/// <summary>The standard OCPP 1.6 keys (§9) this charger supports, with the defaults of typical AC firmware.</summary>
public static class ConfigurationKeys
{
    public const string AllowOfflineTxForUnknownId = nameof(AllowOfflineTxForUnknownId);
    public const string AuthorizationCacheEnabled = nameof(AuthorizationCacheEnabled);
    public const string AuthorizeRemoteTxRequests = nameof(AuthorizeRemoteTxRequests);
    public const string BlinkRepeat = nameof(BlinkRepeat);
    public const string ClockAlignedDataInterval = nameof(ClockAlignedDataInterval);
    public const string ConnectionTimeOut = nameof(ConnectionTimeOut);
    public const string ConnectorPhaseRotation = nameof(ConnectorPhaseRotation);
    public const string GetConfigurationMaxKeys = nameof(GetConfigurationMaxKeys);
    public const string HeartbeatInterval = nameof(HeartbeatInterval);
    public const string LightIntensity = nameof(LightIntensity);
    public const string LocalAuthorizeOffline = nameof(LocalAuthorizeOffline);
    public const string LocalPreAuthorize = nameof(LocalPreAuthorize);
    public const string MaxEnergyOnInvalidId = nameof(MaxEnergyOnInvalidId);
    public const string MeterValuesAlignedData = nameof(MeterValuesAlignedData);
    public const string MeterValuesAlignedDataMaxLength = nameof(MeterValuesAlignedDataMaxLength);
    public const string MeterValuesSampledData = nameof(MeterValuesSampledData);
    public const string MeterValuesSampledDataMaxLength = nameof(MeterValuesSampledDataMaxLength);
    public const string MeterValueSampleInterval = nameof(MeterValueSampleInterval);
    public const string MinimumStatusDuration = nameof(MinimumStatusDuration);
    public const string NumberOfConnectors = nameof(NumberOfConnectors);
    public const string ResetRetries = nameof(ResetRetries);
    public const string StopTransactionOnEVSideDisconnect = nameof(StopTransactionOnEVSideDisconnect);
    public const string StopTransactionOnInvalidId = nameof(StopTransactionOnInvalidId);
    public const string StopTxnAlignedData = nameof(StopTxnAlignedData);
    public const string StopTxnAlignedDataMaxLength = nameof(StopTxnAlignedDataMaxLength);
    public const string StopTxnSampledData = nameof(StopTxnSampledData);
    public const string StopTxnSampledDataMaxLength = nameof(StopTxnSampledDataMaxLength);
    public const string SupportedFeatureProfiles = nameof(SupportedFeatureProfiles);
    public const string TransactionMessageAttempts = nameof(TransactionMessageAttempts);
    public const string TransactionMessageRetryInterval = nameof(TransactionMessageRetryInterval);
    public const string UnlockConnectorOnEVSideDisconnect = nameof(UnlockConnectorOnEVSideDisconnect);
    public const string WebSocketPingInterval = nameof(WebSocketPingInterval);
    public const string LocalAuthListEnabled = nameof(LocalAuthListEnabled);
    public const string LocalAuthListMaxLength = nameof(LocalAuthListMaxLength);
    public const string SendLocalListMaxLength = nameof(SendLocalListMaxLength);
    public const string ReserveConnectorZeroSupported = nameof(ReserveConnectorZeroSupported);
    public const string ChargeProfileMaxStackLevel = nameof(ChargeProfileMaxStackLevel);
    public const string ChargingScheduleAllowedChargingRateUnit = nameof(ChargingScheduleAllowedChargingRateUnit);
    public const string ChargingScheduleMaxPeriods = nameof(ChargingScheduleMaxPeriods);
    public const string ConnectorSwitch3to1PhaseSupported = nameof(ConnectorSwitch3to1PhaseSupported);
    public const string MaxChargingProfilesInstalled = nameof(MaxChargingProfilesInstalled);

    /// <summary>The key set of a charger with <paramref name="connectors"/> connectors.</summary>
    public static IReadOnlyList<ConfigurationKeyDefinition> Standard(int connectors) =>
    [
        // Core profile
        new(AllowOfflineTxForUnknownId, ConfigurationValueKind.Boolean, false, "false"),
        new(AuthorizationCacheEnabled, ConfigurationValueKind.Boolean, false, "true"),
        new(AuthorizeRemoteTxRequests, ConfigurationValueKind.Boolean, false, "true"),
        new(BlinkRepeat, ConfigurationValueKind.Integer, false, "3"),
        new(ClockAlignedDataInterval, ConfigurationValueKind.Integer, false, "0"),
        new(ConnectionTimeOut, ConfigurationValueKind.Integer, false, "60"),
        new(ConnectorPhaseRotation, ConfigurationValueKind.Text, false,
            string.Join(',', Enumerable.Range(0, connectors + 1).Select(i => $"{i}.RST")), RebootRequired: true),
        new(GetConfigurationMaxKeys, ConfigurationValueKind.Integer, true, "50"),
        new(HeartbeatInterval, ConfigurationValueKind.Integer, false, "300"),
        new(LightIntensity, ConfigurationValueKind.Integer, false, "80"),
        new(LocalAuthorizeOffline, ConfigurationValueKind.Boolean, false, "true"),
        new(LocalPreAuthorize, ConfigurationValueKind.Boolean, false, "false"),
        new(MaxEnergyOnInvalidId, ConfigurationValueKind.Integer, false, "0"),
        new(MeterValuesAlignedData, ConfigurationValueKind.MeasurandList, false, "Energy.Active.Import.Register", MaxLengthKey: MeterValuesAlignedDataMaxLength),
        new(MeterValuesAlignedDataMaxLength, ConfigurationValueKind.Integer, true, "8"),
        new(MeterValuesSampledData, ConfigurationValueKind.MeasurandList, false,
            "Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC", MaxLengthKey: MeterValuesSampledDataMaxLength),
        new(MeterValuesSampledDataMaxLength, ConfigurationValueKind.Integer, true, "8"),
        new(MeterValueSampleInterval, ConfigurationValueKind.Integer, false, "60"),
        new(MinimumStatusDuration, ConfigurationValueKind.Integer, false, "0"),
        new(NumberOfConnectors, ConfigurationValueKind.Integer, true, connectors.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(ResetRetries, ConfigurationValueKind.Integer, false, "1"),
        new(StopTransactionOnEVSideDisconnect, ConfigurationValueKind.Boolean, false, "true"),
        new(StopTransactionOnInvalidId, ConfigurationValueKind.Boolean, false, "true"),
        new(StopTxnAlignedData, ConfigurationValueKind.MeasurandList, false, "", MaxLengthKey: StopTxnAlignedDataMaxLength),
        new(StopTxnAlignedDataMaxLength, ConfigurationValueKind.Integer, true, "8"),
        new(StopTxnSampledData, ConfigurationValueKind.MeasurandList, false, "Energy.Active.Import.Register", MaxLengthKey: StopTxnSampledDataMaxLength),
        new(StopTxnSampledDataMaxLength, ConfigurationValueKind.Integer, true, "8"),
        new(SupportedFeatureProfiles, ConfigurationValueKind.Text, true,
            "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger"),
        new(TransactionMessageAttempts, ConfigurationValueKind.Integer, false, "3"),
        new(TransactionMessageRetryInterval, ConfigurationValueKind.Integer, false, "60"),
        new(UnlockConnectorOnEVSideDisconnect, ConfigurationValueKind.Boolean, false, "true"),
        new(WebSocketPingInterval, ConfigurationValueKind.Integer, false, "0", RebootRequired: true),
        // Local authorization list management
        new(LocalAuthListEnabled, ConfigurationValueKind.Boolean, false, "true"),
        new(LocalAuthListMaxLength, ConfigurationValueKind.Integer, true, "1000"),
        new(SendLocalListMaxLength, ConfigurationValueKind.Integer, true, "200"),
        // Reservation
        new(ReserveConnectorZeroSupported, ConfigurationValueKind.Boolean, true, "false"),
        // Smart charging
        new(ChargeProfileMaxStackLevel, ConfigurationValueKind.Integer, true, "10"),
        new(ChargingScheduleAllowedChargingRateUnit, ConfigurationValueKind.Text, true, "Current,Power"),
        new(ChargingScheduleMaxPeriods, ConfigurationValueKind.Integer, true, "24"),
        new(ConnectorSwitch3to1PhaseSupported, ConfigurationValueKind.Boolean, true, "false"),
        new(MaxChargingProfilesInstalled, ConfigurationValueKind.Integer, true, "20"),
    ];
}
