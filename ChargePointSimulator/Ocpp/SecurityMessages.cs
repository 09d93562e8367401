namespace ChargePointSimulator.Ocpp;

// The messages of the OCPP 1.6 security whitepaper (edition 3) beyond SecurityEventNotification, both directions.

// Charge point -> central system
public sealed record SignCertificateRequest(string Csr);
public sealed record SignCertificateResponse(AcceptedOrRejected Status);

public enum SignedFirmwareStatus
{
    Downloaded, DownloadFailed, Downloading, DownloadScheduled, DownloadPaused, Idle, InstallationFailed, Installing, Installed,
    InstallRebooting, InstallScheduled, InstallVerificationFailed, InvalidSignature, SignatureVerified,
}

public sealed record SignedFirmwareStatusNotificationRequest(SignedFirmwareStatus Status, int? RequestId = null);

public enum UploadLogStatus { BadMessage, Idle, NotSupportedOperation, PermissionDenied, Uploaded, UploadFailure, Uploading }

public sealed record LogStatusNotificationRequest(UploadLogStatus Status, int? RequestId = null);

// Central system -> charge point
public sealed record CertificateSignedRequest(string CertificateChain);
public sealed record CertificateSignedResponse(AcceptedOrRejected Status);

public enum CertificateUse { CentralSystemRootCertificate, ManufacturerRootCertificate }

public sealed record InstallCertificateRequest(CertificateUse CertificateType, string Certificate);

public enum InstallCertificateStatus { Accepted, Failed, Rejected }

public sealed record InstallCertificateResponse(InstallCertificateStatus Status);

public enum CertificateHashAlgorithm { SHA256, SHA384, SHA512 }

/// <summary>Identifies a certificate as OCSP's CertID does: hashes of its issuer's name and key, and its serial number (hex).</summary>
public sealed record CertificateHashData(CertificateHashAlgorithm HashAlgorithm, string IssuerNameHash, string IssuerKeyHash, string SerialNumber);

public sealed record DeleteCertificateRequest(CertificateHashData CertificateHashData);

public enum DeleteCertificateStatus { Accepted, Failed, NotFound }

public sealed record DeleteCertificateResponse(DeleteCertificateStatus Status);

public sealed record GetInstalledCertificateIdsRequest(CertificateUse CertificateType);

public enum GetInstalledCertificateStatus { Accepted, NotFound }

public sealed record GetInstalledCertificateIdsResponse(GetInstalledCertificateStatus Status, IReadOnlyList<CertificateHashData>? CertificateHashData = null);

public enum ExtendedMessageTrigger
{
    BootNotification, LogStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues, SignChargePointCertificate, StatusNotification,
}

public sealed record ExtendedTriggerMessageRequest(ExtendedMessageTrigger RequestedMessage, int? ConnectorId = null);
public sealed record ExtendedTriggerMessageResponse(TriggerMessageStatus Status);

public sealed record FirmwareType(
    string Location, DateTimeOffset RetrieveDateTime, string SigningCertificate, string Signature, DateTimeOffset? InstallDateTime = null);

public sealed record SignedUpdateFirmwareRequest(int RequestId, FirmwareType Firmware, int? Retries = null, int? RetryInterval = null);

public enum UpdateFirmwareStatus { Accepted, Rejected, AcceptedCanceled, InvalidCertificate, RevokedCertificate }

public sealed record SignedUpdateFirmwareResponse(UpdateFirmwareStatus Status);

public enum LogType { DiagnosticsLog, SecurityLog }

public sealed record LogParameters(string RemoteLocation, DateTimeOffset? OldestTimestamp = null, DateTimeOffset? LatestTimestamp = null);

public sealed record GetLogRequest(LogParameters Log, LogType LogType, int RequestId, int? Retries = null, int? RetryInterval = null);

public enum LogStatus { Accepted, Rejected, AcceptedCanceled }

public sealed record GetLogResponse(LogStatus Status, string? Filename = null);
