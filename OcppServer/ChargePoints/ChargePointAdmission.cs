using Microsoft.Extensions.Options;
using OcppServer.Ocpp;
using OcppServer.Ocpp.Connections;
using OcppServer.Storage.Repositories;

namespace OcppServer.ChargePoints;

/// <summary>Handshake decision: known charge point (and its Basic password), or the unknown-charge-point policy.</summary>
public sealed class ChargePointAdmission(
    ChargePointRepository chargePoints,
    IOptionsMonitor<OcppOptions> options,
    TimeProvider time,
    ILogger<ChargePointAdmission> logger) : IChargePointAdmission
{
    public async Task<AdmissionDecision> AdmitAsync(string chargePointId, BasicCredentials? credentials, CancellationToken cancellationToken)
    {
        var chargePoint = await chargePoints.GetAsync(chargePointId, cancellationToken);
        if (chargePoint is null)
        {
            return await AdmitUnknownAsync(chargePointId, cancellationToken);
        }

        // PBKDF2 takes tens of milliseconds: off the socket's thread, which serves other charge points too (Transport:InlineIo).
        if (chargePoint.PasswordHash is { } hash && !await Task.Run(() => PasswordMatches(chargePointId, credentials, hash), cancellationToken))
        {
            return AdmissionDecision.Unauthorized;
        }

        return new AdmissionDecision(AdmissionOutcome.Admitted, chargePoint.RegistrationStatus == RegistrationStatuses.Accepted);
    }

    private static bool PasswordMatches(string chargePointId, BasicCredentials? credentials, string passwordHash) =>
        credentials is not null
        && string.Equals(credentials.UserName, chargePointId, StringComparison.Ordinal)
        && PasswordHasher.Verify(credentials.Password, passwordHash);

    private async Task<AdmissionDecision> AdmitUnknownAsync(string chargePointId, CancellationToken cancellationToken)
    {
        var policy = options.CurrentValue.UnknownChargePoints;
        if (policy == UnknownChargePointPolicy.Reject)
        {
            return AdmissionDecision.Unknown;
        }

        string status = policy == UnknownChargePointPolicy.Accept ? RegistrationStatuses.Accepted : RegistrationStatuses.Pending;
        await chargePoints.InsertAsync(chargePointId, stationId: null, status, passwordHash: null, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("Registered unknown charge point {ChargePointId} as {Status}", chargePointId, status);

        // Another connection may have inserted it first; the stored row decides.
        var stored = await chargePoints.GetAsync(chargePointId, cancellationToken);
        return new AdmissionDecision(AdmissionOutcome.Admitted, stored?.RegistrationStatus == RegistrationStatuses.Accepted);
    }
}
