namespace OcppServer.ChargePoints;

/// <summary>How a charge point's Authorize and StartTransaction are decided.</summary>
public static class ChargePointAuthorizationModes
{
    /// <summary>By its station's layered policy; without a station, refused (NoLayeredPolicy).</summary>
    public const string Layered = "Layered";

    /// <summary>Plain OCPP: the id tag alone, an explicit choice of the operator, shown as a risk.</summary>
    public const string IdTagOnly = "IdTagOnly";

    public static string? Parse(string? text) =>
        string.Equals(text, Layered, StringComparison.OrdinalIgnoreCase) ? Layered
        : string.Equals(text, IdTagOnly, StringComparison.OrdinalIgnoreCase) ? IdTagOnly
        : null;
}

/// <summary>What registering a charge point stores.</summary>
public sealed record NewChargePoint(
    string Id, string? StationId, string RegistrationStatus, string? PasswordHash, bool AllowUnauthenticated,
    string AuthorizationMode = ChargePointAuthorizationModes.Layered, int SecurityProfile = SecurityProfiles.Basic);

/// <summary>The security profiles of the OCPP 1.6 security whitepaper (edition 3), and 0: none.</summary>
public static class SecurityProfiles
{
    /// <summary>No authentication: only for a charge point an operator explicitly allowed to connect unauthenticated.</summary>
    public const int None = 0;

    /// <summary>HTTP Basic with the AuthorizationKey, over ws:// or wss://.</summary>
    public const int Basic = 1;

    /// <summary>TLS with the server's certificate, and HTTP Basic with the AuthorizationKey.</summary>
    public const int TlsWithBasic = 2;

    /// <summary>TLS with a client certificate on both sides; no password.</summary>
    public const int TlsWithClientCertificate = 3;

    public static bool IsValid(int profile) => profile is >= None and <= TlsWithClientCertificate;
}

public sealed record ChargePointRecord
{
    public string Id { get; init; } = "";
    public string? StationId { get; init; }
    public string RegistrationStatus { get; init; } = "";
    public string? PasswordHash { get; init; }

    /// <summary>An AuthorizationKey being rotated: admits the charger too, until the rotation ends (see <c>AuthorizationKeyRotation</c>).</summary>
    public string? PendingPasswordHash { get; init; }
    public bool AllowUnauthenticated { get; init; }

    /// <summary>The security profile a connection must offer (<see cref="SecurityProfiles"/>).</summary>
    public int SecurityProfile { get; init; } = SecurityProfiles.Basic;
    public string AuthorizationMode { get; init; } = ChargePointAuthorizationModes.Layered;
    public string? Vendor { get; init; }
    public string? Model { get; init; }
    public string? ChargePointSerial { get; init; }
    public string? ChargeBoxSerial { get; init; }
    public string? FirmwareVersion { get; init; }
    public string? Iccid { get; init; }
    public string? Imsi { get; init; }
    public string? MeterType { get; init; }
    public string? MeterSerial { get; init; }
    public DateTimeOffset? LastBootAt { get; init; }
    public DateTimeOffset? LastHeartbeatAt { get; init; }
    public string? FirmwareStatus { get; init; }
    public DateTimeOffset? FirmwareStatusAt { get; init; }
    public string? DiagnosticsStatus { get; init; }
    public DateTimeOffset? DiagnosticsStatusAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record ConnectorRecord
{
    public string ChargePointId { get; init; } = "";
    public int ConnectorId { get; init; }
    public string Status { get; init; } = "";
    public string ErrorCode { get; init; } = "";
    public string? Info { get; init; }
    public string? VendorId { get; init; }
    public string? VendorErrorCode { get; init; }
    public DateTimeOffset? StatusTimestamp { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record BootInfo(
    string Vendor,
    string Model,
    string? ChargePointSerial,
    string? ChargeBoxSerial,
    string? FirmwareVersion,
    string? Iccid,
    string? Imsi,
    string? MeterType,
    string? MeterSerial);

public sealed record ConnectorStatus(
    int ConnectorId,
    string Status,
    string ErrorCode,
    string? Info,
    string? VendorId,
    string? VendorErrorCode,
    DateTimeOffset? StatusTimestamp);

/// <summary>A DataTransfer as the log keeps it: <see cref="Data"/> already redacted, <see cref="Status"/> the answer's.</summary>
public sealed record DataTransferRecord(
    string ChargePointId, string VendorId, string? MessageId, string? Data, string Status, DateTimeOffset ReceivedAt)
{
    /// <summary>This row answered Accepted or Rejected (the OCPP DataTransferStatus names).</summary>
    public DataTransferRecord Answered(bool accepted) => this with { Status = accepted ? "Accepted" : "Rejected" };
}
