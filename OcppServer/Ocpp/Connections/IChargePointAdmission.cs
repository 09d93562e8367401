namespace OcppServer.Ocpp.Connections;

public enum AdmissionOutcome
{
    Admitted,

    /// <summary>Refused: unknown identity, missing or wrong credentials, a rejected charge point, too many failures. HTTP 401 for all.</summary>
    Unauthorized,
}

/// <summary>
/// The handshake's verdict. <see cref="Stamp"/> identifies what admitted the connection (credentials, status); the
/// endpoint checks it again once the connection is registered, so that a revocation racing the handshake is not missed.
/// </summary>
public sealed record AdmissionDecision(AdmissionOutcome Outcome, bool RegistrationAccepted = false, string Stamp = "")
{
    public static AdmissionDecision Unauthorized { get; } = new(AdmissionOutcome.Unauthorized);
}

/// <summary>HTTP Basic credentials from the handshake (OCPP 1.6 security profile 1).</summary>
public sealed record BasicCredentials(string UserName, byte[] Password);

/// <summary>Decides at the WebSocket handshake whether a charge point identity may connect.</summary>
public interface IChargePointAdmission
{
    Task<AdmissionDecision> AdmitAsync(string chargePointId, BasicCredentials? credentials, string? remoteAddress, CancellationToken cancellationToken);

    /// <summary>Whether what admitted a connection (<paramref name="admitted"/>: its stamp, its certificate) still holds.</summary>
    Task<bool> StillQualifiesAsync(string chargePointId, AdmissionDecision admitted, CancellationToken cancellationToken);
}
