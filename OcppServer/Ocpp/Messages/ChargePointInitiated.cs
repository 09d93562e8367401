namespace OcppServer.Ocpp.Messages;

// Messages a charge point sends to the central system (OCPP 1.6 §4).

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

public sealed record DiagnosticsStatusNotificationRequest(string Status);
public sealed record DiagnosticsStatusNotificationResponse;

public sealed record FirmwareStatusNotificationRequest(string Status);
public sealed record FirmwareStatusNotificationResponse;

public sealed record HeartbeatRequest;
public sealed record HeartbeatResponse(DateTimeOffset CurrentTime);

public sealed record MeterValuesRequest(int ConnectorId, IReadOnlyList<MeterValue> MeterValue, int? TransactionId = null);
public sealed record MeterValuesResponse;

public sealed record StartTransactionRequest(
    int ConnectorId,
    string IdTag,
    int MeterStart,
    DateTimeOffset Timestamp,
    int? ReservationId = null);
public sealed record StartTransactionResponse(IdTagInfo IdTagInfo, int TransactionId);

public sealed record StatusNotificationRequest(
    int ConnectorId,
    string ErrorCode,
    string Status,
    string? Info = null,
    DateTimeOffset? Timestamp = null,
    string? VendorId = null,
    string? VendorErrorCode = null);
public sealed record StatusNotificationResponse;

public sealed record StopTransactionRequest(
    int MeterStop,
    DateTimeOffset Timestamp,
    int TransactionId,
    string? IdTag = null,
    string? Reason = null,
    IReadOnlyList<MeterValue>? TransactionData = null);
public sealed record StopTransactionResponse(IdTagInfo? IdTagInfo = null);

// OCPP 1.6 security whitepaper (edition 3): a security event the charge point noticed.
public sealed record SecurityEventNotificationRequest(string Type, DateTimeOffset Timestamp, string? TechInfo = null);
public sealed record SecurityEventNotificationResponse;

// OCPP 1.6 security whitepaper (edition 3): the charger's certificate signing request, and the status of a signed
// firmware update and of a log upload.
public sealed record SignCertificateRequest(string Csr);
public sealed record SignCertificateResponse(string Status);

public sealed record SignedFirmwareStatusNotificationRequest(string Status, int? RequestId = null);
public sealed record SignedFirmwareStatusNotificationResponse;

public sealed record LogStatusNotificationRequest(string Status, int? RequestId = null);
public sealed record LogStatusNotificationResponse;
