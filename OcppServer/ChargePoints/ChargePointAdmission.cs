using System.Text;
using Microsoft.Extensions.Options;
using OcppServer.Authorization.Evidence;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Security;

namespace OcppServer.ChargePoints;

/// <summary>
/// Handshake decision, by the charge point's security profile (OCPP 1.6 security whitepaper): 0 admits it without
/// credentials (only when an operator allowed that), 1 needs HTTP Basic with its AuthorizationKey, 2 the same over TLS,
/// 3 a client certificate over TLS that chains to the charge point CA and names it (no password needed). A connection
/// that offers more than its profile asks is admitted; one that offers less is refused, and one that offers a weaker
/// kind of the credentials it has (a profile-3 charger with only Basic, a profile-2 one over ws://) is a downgrade.
/// A Rejected charge point is refused. Every refusal looks the same to the caller (401), takes about as long whether or
/// not the identity exists, is logged and recorded as a security event, and counts against the identity and the source
/// address: once either has spent its failures, attempts are refused without checking anything.
/// </summary>
public sealed partial class ChargePointAdmission(
    IChargePointStore chargePoints,
    IEvidenceStore evidence,
    CredentialFailureLimiter failures,
    ChargePointCertificateAuthority certificates,
    IRevokedCertificateStore revokedCertificates,
    ISecurityEventLog events,
    IOptionsMonitor<OcppOptions> options,
    TimeProvider time,
    ILogger<ChargePointAdmission> logger) : IChargePointAdmission
{
    /// <summary>What a connection offers when it has no valid credentials at all.</summary>
    private const int Nothing = -1;

    // Checked for an identity that does not exist, so that its refusal costs as long as a wrong password would.
    private readonly Lazy<string> _decoyKeyHash = new(() => PasswordHasher.HashAuthorizationKey("00000000000000000000000000000000"u8));
    private readonly Lazy<string> _decoyPasswordHash = new(() => PasswordHasher.Hash("decoy"u8));

    public async Task<AdmissionDecision> AdmitAsync(ConnectionAttempt attempt, CancellationToken cancellationToken)
    {
        string chargePointId = attempt.ChargePointId;
        string? remoteAddress = attempt.RemoteAddress;
        string credential = "cp:" + chargePointId;
        if (failures.IsLocked(credential, remoteAddress))
        {
            RecordRefusal(chargePointId, remoteAddress, "too many failed attempts for this identity or address");
            return AdmissionDecision.Unauthorized;
        }

        var chargePoint = await chargePoints.GetAsync(chargePointId, cancellationToken);
        if (chargePoint is null)
        {
            var unknown = await AdmitUnknownAsync(chargePointId, attempt.Credentials, cancellationToken);
            return unknown.Outcome == AdmissionOutcome.Admitted ? unknown : Refuse(credential, attempt, "unknown identity");
        }

        var credentials = attempt.Credentials;
        var password = await MatchPasswordAsync(chargePointId, credentials, chargePoint, cancellationToken);
        var certificate = attempt is { IsTls: true, ClientCertificate: { } presented }
            ? await certificates.CheckAsync(presented, chargePointId, cancellationToken)
            : null;
        int offered = attempt.IsTls && certificate is { Valid: true } ? 3
            : attempt.IsTls && password != PasswordMatch.None ? 2
            : password != PasswordMatch.None ? 1
            : chargePoint is { PasswordHash: null, AllowUnauthenticated: true } ? 0
            : Nothing;
        if (offered < chargePoint.SecurityProfile)
        {
            var (type, reason) = Shortfall(chargePoint, attempt, password, certificate, offered);
            return Refuse(credential, attempt, reason, type);
        }

        if (certificate is { Valid: false })
        {
            // Admitted on its password, as its profile allows; a certificate that does not hold is still worth knowing of.
            RecordEvent(chargePointId, remoteAddress, SecurityEventTypes.InvalidChargePointCertificate,
                $"Client certificate refused ({certificate.Reason}); admitted on its password (security profile {chargePoint.SecurityProfile})");
        }

        if (password == PasswordMatch.Pending)
        {
            // The charger connects with the key it was being given: it took it, whatever became of the answer.
            await chargePoints.PromotePendingPasswordHashAsync(chargePointId, chargePoint.PendingPasswordHash!, cancellationToken);
            chargePoint = await chargePoints.GetAsync(chargePointId, cancellationToken) ?? chargePoint;
            if (offered < 3 && (chargePoint.PendingPasswordHash is not null || !MatchesStored(credentials!, chargePoint.PasswordHash)))
            {
                return Refuse(credential, attempt, "credentials changed during the handshake");
            }
        }

        if (chargePoint.RegistrationStatus == RegistrationStatuses.Rejected)
        {
            RecordRefusal(chargePointId, remoteAddress, "registration Rejected by an operator");
            return AdmissionDecision.Unauthorized;
        }

        // A new connection: what the charger said of its connectors before may no longer hold (a car may have left while
        // it was off line). Every connector session ends; the charger's StatusNotifications open them again.
        await evidence.EndSessionsAsync(chargePointId, time.GetUtcNow(), cancellationToken);
        var admittedBy = offered == 3 ? attempt.ClientCertificate : null;
        return new AdmissionDecision(
            AdmissionOutcome.Admitted, chargePoint.RegistrationStatus == RegistrationStatuses.Accepted, Stamp(chargePoint), offered,
            admittedBy is null ? null : ChargePointCertificateAuthority.SerialNumber(admittedBy),
            admittedBy is null ? null : ChargePointCertificateAuthority.IssuerName(admittedBy));
    }

    /// <summary>Why a connection offered less than the charge point's profile, as a security event type and a reason.</summary>
    private static (string Type, string Reason) Shortfall(
        ChargePointRecord chargePoint, ConnectionAttempt attempt, PasswordMatch password, CertificateVerdict? certificate, int offered)
    {
        int required = chargePoint.SecurityProfile;
        if (required == 3 && certificate is { Valid: false })
        {
            return (SecurityEventTypes.InvalidChargePointCertificate, "client certificate refused: " + certificate.Reason);
        }

        if (offered >= 1)
        {
            return (SecurityEventTypes.SecurityProfileDowngrade, required == 3
                ? $"security profile 3 charge point offered HTTP Basic over {(attempt.IsTls ? "TLS" : "plain ws://")} without a client certificate (downgrade)"
                : "security profile 2 charge point offered HTTP Basic over plain ws:// without TLS (downgrade)");
        }

        if (required == 3)
        {
            return (SecurityEventTypes.FailedToAuthenticateAtCentralSystem,
                attempt.IsTls ? "security profile 3 charge point presented no client certificate" : "security profile 3 charge point connected without TLS");
        }

        return (SecurityEventTypes.FailedToAuthenticateAtCentralSystem,
            chargePoint is { PasswordHash: null, PendingPasswordHash: null, AllowUnauthenticated: false } ? "no password set and unauthenticated access not allowed"
            : attempt.Credentials is null ? "no credentials"
            : password == PasswordMatch.None ? "wrong credentials"
            : "credentials refused");
    }

    /// <summary>
    /// What admitted a connection still holds: the credentials and registration it was admitted on (<see cref="Stamp"/>),
    /// a security profile at least the charge point's, and a certificate not revoked since through the API.
    /// </summary>
    public async Task<bool> StillQualifiesAsync(string chargePointId, AdmissionDecision admitted, CancellationToken cancellationToken) =>
        admitted.Outcome == AdmissionOutcome.Admitted
        && await chargePoints.GetAsync(chargePointId, cancellationToken) is { } row
        && Stamp(row) == admitted.Stamp
        && admitted.SecurityProfile >= row.SecurityProfile
        && (admitted.CertificateSerialNumber is null
            || !await revokedCertificates.IsRevokedAsync(admitted.CertificateSerialNumber, admitted.CertificateIssuer ?? "", cancellationToken));

    private static string Stamp(ChargePointRecord row) =>
        $"{row.PasswordHash}|{row.AllowUnauthenticated}|{row.RegistrationStatus == RegistrationStatuses.Rejected}";

    private AdmissionDecision Refuse(string credential, ConnectionAttempt attempt, string reason, string type = SecurityEventTypes.FailedToAuthenticateAtCentralSystem)
    {
        failures.RecordFailure(credential, attempt.RemoteAddress);
        RecordRefusal(attempt.ChargePointId, attempt.RemoteAddress, reason, type);
        return AdmissionDecision.Unauthorized;
    }

    /// <summary>
    /// PBKDF2 takes tens of milliseconds: off the socket's thread, which serves other charge points too
    /// (Transport:InlineIo). A salted SHA-256 of an AuthorizationKey takes a microsecond: checked in place, so a reconnect
    /// storm costs no thread hop per charger.
    /// </summary>
    private static Task<bool> VerifyAsync(Func<bool> verify, string storedHash, CancellationToken cancellationToken) =>
        PasswordHasher.IsSlow(storedHash) ? Task.Run(verify, cancellationToken) : Task.FromResult(verify());

    private enum PasswordMatch
    {
        None,
        Current,

        /// <summary>The key of an AuthorizationKey rotation under way.</summary>
        Pending,
    }

    private static async Task<PasswordMatch> MatchPasswordAsync(
        string chargePointId, BasicCredentials? credentials, ChargePointRecord chargePoint, CancellationToken cancellationToken)
    {
        if (credentials is null || !string.Equals(credentials.UserName, chargePointId, StringComparison.Ordinal))
        {
            return PasswordMatch.None;
        }

        if (chargePoint.PasswordHash is { } hash && await VerifyAsync(() => PasswordHasher.Verify(credentials.Password, hash), hash, cancellationToken))
        {
            return PasswordMatch.Current;
        }

        // A pending key is always an AuthorizationKey (a fast hash): checked in place.
        return MatchesStored(credentials, chargePoint.PendingPasswordHash) ? PasswordMatch.Pending : PasswordMatch.None;
    }

    private static bool MatchesStored(BasicCredentials credentials, string? keyHash) =>
        keyHash is not null && !PasswordHasher.IsSlow(keyHash) && PasswordHasher.Verify(credentials.Password, keyHash);

    private async Task<AdmissionDecision> AdmitUnknownAsync(string chargePointId, BasicCredentials? credentials, CancellationToken cancellationToken)
    {
        var policy = options.CurrentValue.UnknownChargePoints;
        if (policy == UnknownChargePointPolicy.Reject)
        {
            // As long as a wrong password for a known identity: the answer's timing does not tell which identities exist.
            byte[] presented = credentials?.Password ?? [];
            string decoy = PasswordHasher.IsAuthorizationKey(Encoding.UTF8.GetString(presented)) ? _decoyKeyHash.Value : _decoyPasswordHash.Value;
            await VerifyAsync(() => PasswordHasher.Verify(presented, decoy), decoy, cancellationToken);
            return AdmissionDecision.Unauthorized;
        }

        // An explicit opt-in of the operator (documented as such): the identity is registered without credentials.
        string status = policy == UnknownChargePointPolicy.Accept ? RegistrationStatuses.Accepted : RegistrationStatuses.Pending;
        await chargePoints.RegisterAsync(
            new NewChargePoint(chargePointId, StationId: null, status, PasswordHash: null, AllowUnauthenticated: true, SecurityProfile: 0),
            time.GetUtcNow(), cancellationToken);
        logger.LogWarning("Registered unknown charge point {ChargePointId} as {Status} without credentials (Ocpp:UnknownChargePoints = {Policy})",
            chargePointId, status, policy);

        // Another connection may have inserted it first; the stored row decides.
        var stored = await chargePoints.GetAsync(chargePointId, cancellationToken);
        return stored is { AllowUnauthenticated: true, PasswordHash: null, SecurityProfile: 0 }
            ? new AdmissionDecision(AdmissionOutcome.Admitted, stored.RegistrationStatus == RegistrationStatuses.Accepted, Stamp(stored))
            : AdmissionDecision.Unauthorized;
    }

    private void RecordRefusal(string chargePointId, string? remoteAddress, string reason, string type = SecurityEventTypes.FailedToAuthenticateAtCentralSystem)
    {
        LogHandshakeRefused(logger, chargePointId, remoteAddress ?? "-", reason);
        events.Raise(new SecurityEvent(chargePointId, SecurityEventSource.CentralSystem, type, time.GetUtcNow(), "Handshake refused: " + reason, remoteAddress));
    }

    private void RecordEvent(string chargePointId, string? remoteAddress, string type, string techInfo)
    {
        LogHandshakeEvent(logger, chargePointId, remoteAddress ?? "-", techInfo);
        events.Raise(new SecurityEvent(chargePointId, SecurityEventSource.CentralSystem, type, time.GetUtcNow(), techInfo, remoteAddress));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Security event: handshake of {ChargePointId} from {RemoteAddress} refused: {Reason}")]
    private static partial void LogHandshakeRefused(ILogger logger, string chargePointId, string remoteAddress, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Security event: handshake of {ChargePointId} from {RemoteAddress}: {TechInfo}")]
    private static partial void LogHandshakeEvent(ILogger logger, string chargePointId, string remoteAddress, string techInfo);
}
