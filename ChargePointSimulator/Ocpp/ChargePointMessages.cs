namespace ChargePointSimulator.Ocpp;

// Messages the charge point sends to the central system (OCPP 1.6 §4), with their answers.

public sealed record AuthorizeRequest(string IdTag);
public sealed record AuthorizeResponse(IdTagInfo IdTagInfo);

public enum RegistrationStatus { Accepted, Pending, Rejected }

public sealed record BootNotificationRequest(
    string ChargePointVendor,
    string ChargePointModel,
    string? ChargePointSerialNumber = null,
    string? ChargeBoxSerialNumber = null,
    string? FirmwareVersion = null,
    string? Iccid = null,
    string? Imsi = null,
    string? MeterType = null,
    string? MeterSerialNumber = null);
public sealed record BootNotificationResponse(RegistrationStatus Status, DateTimeOffset CurrentTime, int Interval);

public enum DataTransferStatus { Accepted, Rejected, UnknownMessageId, UnknownVendorId }

public sealed record DataTransferRequest(string VendorId, string? MessageId = null, string? Data = null);
public sealed record DataTransferResponse(DataTransferStatus Status, string? Data = null);

public enum DiagnosticsStatus { Idle, Uploaded, UploadFailed, Uploading }

public sealed record DiagnosticsStatusNotificationRequest(DiagnosticsStatus Status);

public enum FirmwareStatus { Downloaded, DownloadFailed, Downloading, Idle, InstallationFailed, Installing, Installed }

public sealed record FirmwareStatusNotificationRequest(FirmwareStatus Status);

public sealed record HeartbeatRequest;
public sealed record HeartbeatResponse(DateTimeOffset CurrentTime);

public sealed record MeterValuesRequest(int ConnectorId, IReadOnlyList<MeterValue> MeterValue, int? TransactionId = null);

public sealed record StartTransactionRequest(int ConnectorId, string IdTag, int MeterStart, DateTimeOffset Timestamp, int? ReservationId = null);
public sealed record StartTransactionResponse(IdTagInfo IdTagInfo, int TransactionId);

public sealed record StatusNotificationRequest(
    int ConnectorId,
    ChargePointErrorCode ErrorCode,
    ChargePointStatus Status,
    string? Info = null,
    DateTimeOffset? Timestamp = null,
    string? VendorId = null,
    string? VendorErrorCode = null);

public sealed record StopTransactionRequest(
    int MeterStop,
    DateTimeOffset Timestamp,
    int TransactionId,
    string? IdTag = null,
    StopReason? Reason = null,
    IReadOnlyList<MeterValue>? TransactionData = null);
public sealed record StopTransactionResponse(IdTagInfo? IdTagInfo = null);

/// <summary>The empty answer of MeterValues, StatusNotification and the two status notifications.</summary>
public sealed record EmptyResponse;

/// <summary>OCPP 1.6 security whitepaper: a security event the charge point noticed.</summary>
public sealed record SecurityEventNotificationRequest(string Type, DateTimeOffset Timestamp, string? TechInfo = null);
