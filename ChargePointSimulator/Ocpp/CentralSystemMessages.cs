namespace ChargePointSimulator.Ocpp;

// Requests the central system sends to the charge point (OCPP 1.6 §5), with the answers the charge point gives.

public sealed record CancelReservationRequest(int ReservationId);

public enum AvailabilityType { Inoperative, Operative }

public enum AvailabilityStatus { Accepted, Rejected, Scheduled }

public sealed record ChangeAvailabilityRequest(int ConnectorId, AvailabilityType Type);
public sealed record ChangeAvailabilityResponse(AvailabilityStatus Status);

public enum ConfigurationStatus { Accepted, Rejected, RebootRequired, NotSupported }

public sealed record ChangeConfigurationRequest(string Key, string Value);
public sealed record ChangeConfigurationResponse(ConfigurationStatus Status);

public sealed record ClearCacheRequest;

public sealed record ClearChargingProfileRequest(
    int? Id = null, int? ConnectorId = null, ChargingProfilePurpose? ChargingProfilePurpose = null, int? StackLevel = null);

public enum ClearChargingProfileStatus { Accepted, Unknown }

public sealed record ClearChargingProfileResponse(ClearChargingProfileStatus Status);

public sealed record GetCompositeScheduleRequest(int ConnectorId, int Duration, ChargingRateUnit? ChargingRateUnit = null);
public sealed record GetCompositeScheduleResponse(
    AcceptedOrRejected Status, int? ConnectorId = null, DateTimeOffset? ScheduleStart = null, ChargingSchedule? ChargingSchedule = null);

public sealed record GetConfigurationRequest(IReadOnlyList<string>? Key = null);
public sealed record GetConfigurationResponse(IReadOnlyList<KeyValue>? ConfigurationKey = null, IReadOnlyList<string>? UnknownKey = null);

public sealed record GetDiagnosticsRequest(
    string Location, int? Retries = null, int? RetryInterval = null, DateTimeOffset? StartTime = null, DateTimeOffset? StopTime = null);
public sealed record GetDiagnosticsResponse(string? FileName = null);

public sealed record GetLocalListVersionRequest;
public sealed record GetLocalListVersionResponse(int ListVersion);

public sealed record RemoteStartTransactionRequest(string IdTag, int? ConnectorId = null, ChargingProfile? ChargingProfile = null);

public sealed record RemoteStopTransactionRequest(int TransactionId);

public sealed record ReserveNowRequest(int ConnectorId, DateTimeOffset ExpiryDate, string IdTag, int ReservationId, string? ParentIdTag = null);

public enum ReservationStatus { Accepted, Faulted, Occupied, Rejected, Unavailable }

public sealed record ReserveNowResponse(ReservationStatus Status);

public enum ResetType { Hard, Soft }

public sealed record ResetRequest(ResetType Type);

public enum UpdateType { Differential, Full }

public sealed record SendLocalListRequest(int ListVersion, UpdateType UpdateType, IReadOnlyList<AuthorizationData>? LocalAuthorizationList = null);

public enum UpdateStatus { Accepted, Failed, NotSupported, VersionMismatch }

public sealed record SendLocalListResponse(UpdateStatus Status);

public sealed record SetChargingProfileRequest(int ConnectorId, ChargingProfile CsChargingProfiles);

public enum ChargingProfileStatus { Accepted, Rejected, NotSupported }

public sealed record SetChargingProfileResponse(ChargingProfileStatus Status);

public enum MessageTrigger
{
    BootNotification, DiagnosticsStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues, StatusNotification,
}

public sealed record TriggerMessageRequest(MessageTrigger RequestedMessage, int? ConnectorId = null);

public enum TriggerMessageStatus { Accepted, Rejected, NotImplemented }

public sealed record TriggerMessageResponse(TriggerMessageStatus Status);

public sealed record UnlockConnectorRequest(int ConnectorId);

public enum UnlockStatus { Unlocked, UnlockFailed, NotSupported }

public sealed record UnlockConnectorResponse(UnlockStatus Status);

public sealed record UpdateFirmwareRequest(string Location, DateTimeOffset RetrieveDate, int? Retries = null, int? RetryInterval = null);

public enum AcceptedOrRejected { Accepted, Rejected }

/// <summary>The answer of CancelReservation, ClearCache, RemoteStart/StopTransaction and Reset.</summary>
public sealed record StatusResponse(AcceptedOrRejected Status);
