namespace OcppServer.Security;

/// <summary>Who noticed a security event: a charge point (it sent SecurityEventNotification) or this server.</summary>
public enum SecurityEventSource
{
    ChargePoint,
    CentralSystem,
}

/// <summary>
/// A security event as it is recorded. <see cref="Type"/> is one of <see cref="SecurityEventTypes"/> for the events this
/// server raises; a charge point may send any type (the whitepaper's list, or its own).
/// </summary>
public sealed record SecurityEvent(
    string? ChargePointId,
    SecurityEventSource Source,
    string Type,
    DateTimeOffset OccurredAt,
    string? TechInfo = null,
    string? RemoteAddress = null);

/// <summary>A stored security event.</summary>
public sealed record SecurityEventRecord
{
    public long Id { get; init; }

    public string? ChargePointId { get; init; }

    public string Source { get; init; } = "";

    public string Type { get; init; } = "";

    public string? TechInfo { get; init; }

    public string? RemoteAddress { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>
/// Event types. Where the OCPP 1.6 security whitepaper (edition 3, its list of security events) has a name for what the
/// server noticed, that name is used; the others are this server's own.
/// </summary>
public static class SecurityEventTypes
{
    /// <summary>A charge point's handshake was refused: unknown identity, missing or wrong credentials, locked, rejected.</summary>
    public const string FailedToAuthenticateAtCentralSystem = nameof(FailedToAuthenticateAtCentralSystem);

    /// <summary>A client certificate was refused: wrong CA, expired, revoked, wrong subject.</summary>
    public const string InvalidChargePointCertificate = nameof(InvalidChargePointCertificate);

    /// <summary>A TLS handshake failed: a protocol version or cipher suite outside what the server allows, or an abandoned handshake.</summary>
    public const string InvalidTlsHandshake = nameof(InvalidTlsHandshake);

    /// <summary>A connection offered less than the charge point's security profile (a profile-3 charger with only Basic, a profile-2 one over ws://).</summary>
    public const string SecurityProfileDowngrade = nameof(SecurityProfileDowngrade);

    /// <summary>A second connection of the same identity replaced the live one.</summary>
    public const string ConnectionReplaced = nameof(ConnectionReplaced);

    /// <summary>The charger refused (or did not answer) a setting of the offline-bypass hardening.</summary>
    public const string OfflineHardeningRefused = nameof(OfflineHardeningRefused);

    /// <summary>A charger's certificate signing request (SignCertificate) was rejected: bad signature or PEM, wrong subject, weak key, no TLS.</summary>
    public const string InvalidCertificateSigningRequest = nameof(InvalidCertificateSigningRequest);

    /// <summary>The charge point's credentials or security profile were changed (AuthorizationKey rotated, profile raised).</summary>
    public const string ReconfigurationOfSecurityParameters = nameof(ReconfigurationOfSecurityParameters);
}
