using System.Text;
using Microsoft.Extensions.Options;
using OcppServer.Authorization.Evidence;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Security;

namespace OcppServer.ChargePoints;

/// <summary>
/// Handshake decision. Every charge point authenticates (HTTP Basic, security profile 1) unless an operator allowed it
/// not to; a Rejected one is refused. Every refusal looks the same to the caller (401), takes about as long whether
/// or not the identity exists, is logged as a security event, and counts against the identity and the source address:
/// once either has spent its failures, attempts are refused without checking the password.
/// </summary>
public sealed partial class ChargePointAdmission(
    IChargePointStore chargePoints,
    IEvidenceStore evidence,
    CredentialFailureLimiter failures,
    ISecurityEventLog events,
    IOptionsMonitor<OcppOptions> options,
    TimeProvider time,
    ILogger<ChargePointAdmission> logger) : IChargePointAdmission
{
    // Checked for an identity that does not exist, so that its refusal costs as long as a wrong password would.
    private readonly Lazy<string> _decoyKeyHash = new(() => PasswordHasher.HashAuthorizationKey("00000000000000000000000000000000"u8));
    private readonly Lazy<string> _decoyPasswordHash = new(() => PasswordHasher.Hash("decoy"u8));

    public async Task<AdmissionDecision> AdmitAsync(
        string chargePointId, BasicCredentials? credentials, string? remoteAddress, CancellationToken cancellationToken)
    {
        string credential = "cp:" + chargePointId;
        if (failures.IsLocked(credential, remoteAddress))
        {
            RecordRefusal(chargePointId, remoteAddress, "too many failed attempts for this identity or address");
            return AdmissionDecision.Unauthorized;
        }

        var chargePoint = await chargePoints.GetAsync(chargePointId, cancellationToken);
        if (chargePoint is null)
        {
            var unknown = await AdmitUnknownAsync(chargePointId, credentials, cancellationToken);
            return unknown.Outcome == AdmissionOutcome.Admitted ? unknown : Refuse(credential, chargePointId, remoteAddress, "unknown identity");
        }

        var password = await MatchPasswordAsync(chargePointId, credentials, chargePoint, cancellationToken);
        bool authenticated = password != PasswordMatch.None
            || chargePoint is { PasswordHash: null, AllowUnauthenticated: true };
        if (!authenticated)
        {
            return Refuse(credential, chargePointId, remoteAddress,
                chargePoint is { PasswordHash: null, PendingPasswordHash: null, AllowUnauthenticated: false } ? "no password set and unauthenticated access not allowed"
                : credentials is null ? "no credentials" : "wrong credentials");
        }

        if (password == PasswordMatch.Pending)
        {
            // The charger connects with the key it was being given: it took it, whatever became of the answer.
            await chargePoints.PromotePendingPasswordHashAsync(chargePointId, chargePoint.PendingPasswordHash!, cancellationToken);
            chargePoint = await chargePoints.GetAsync(chargePointId, cancellationToken) ?? chargePoint;
            if (chargePoint.PendingPasswordHash is not null || !MatchesStored(credentials!, chargePoint.PasswordHash))
            {
                return Refuse(credential, chargePointId, remoteAddress, "credentials changed during the handshake");
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
        return new AdmissionDecision(AdmissionOutcome.Admitted, chargePoint.RegistrationStatus == RegistrationStatuses.Accepted, Stamp(chargePoint));
    }

    /// <summary>What admitted a connection; when it changes (password, status), the connection no longer qualifies.</summary>
    public async Task<bool> StillQualifiesAsync(string chargePointId, AdmissionDecision admitted, CancellationToken cancellationToken) =>
        admitted.Outcome == AdmissionOutcome.Admitted
        && await chargePoints.GetAsync(chargePointId, cancellationToken) is { } row && Stamp(row) == admitted.Stamp;

    private static string Stamp(ChargePointRecord row) =>
        $"{row.PasswordHash}|{row.AllowUnauthenticated}|{row.RegistrationStatus == RegistrationStatuses.Rejected}";

    private AdmissionDecision Refuse(string credential, string chargePointId, string? remoteAddress, string reason)
    {
        failures.RecordFailure(credential, remoteAddress);
        RecordRefusal(chargePointId, remoteAddress, reason);
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
            new NewChargePoint(chargePointId, StationId: null, status, PasswordHash: null, AllowUnauthenticated: true), time.GetUtcNow(), cancellationToken);
        logger.LogWarning("Registered unknown charge point {ChargePointId} as {Status} without credentials (Ocpp:UnknownChargePoints = {Policy})",
            chargePointId, status, policy);

        // Another connection may have inserted it first; the stored row decides.
        var stored = await chargePoints.GetAsync(chargePointId, cancellationToken);
        return stored is { AllowUnauthenticated: true, PasswordHash: null }
            ? new AdmissionDecision(AdmissionOutcome.Admitted, stored.RegistrationStatus == RegistrationStatuses.Accepted, Stamp(stored))
            : AdmissionDecision.Unauthorized;
    }

    private void RecordRefusal(string chargePointId, string? remoteAddress, string reason, string type = SecurityEventTypes.FailedToAuthenticateAtCentralSystem)
    {
        LogHandshakeRefused(logger, chargePointId, remoteAddress ?? "-", reason);
        events.Raise(new SecurityEvent(chargePointId, SecurityEventSource.CentralSystem, type, time.GetUtcNow(), "Handshake refused: " + reason, remoteAddress));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Security event: handshake of {ChargePointId} from {RemoteAddress} refused: {Reason}")]
    private static partial void LogHandshakeRefused(ILogger logger, string chargePointId, string remoteAddress, string reason);
}
