using System.Security.Cryptography.X509Certificates;

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
/// <remarks>
/// <see cref="SecurityProfile"/> is what the connection offered (OCPP 1.6 security whitepaper: 0 nothing, 1 Basic,
/// 2 Basic over TLS, 3 a valid client certificate); <see cref="CertificateSerialNumber"/> and
/// <see cref="CertificateIssuer"/> name the client certificate that admitted it (profile 3), so that revoking it closes
/// the connection.
/// </remarks>
public sealed record AdmissionDecision(
    AdmissionOutcome Outcome,
    bool RegistrationAccepted = false,
    string Stamp = "",
    int SecurityProfile = 0,
    string? CertificateSerialNumber = null,
    string? CertificateIssuer = null)
{
    public static AdmissionDecision Unauthorized { get; } = new(AdmissionOutcome.Unauthorized);
}

/// <summary>HTTP Basic credentials from the handshake (OCPP 1.6 security profile 1).</summary>
public sealed record BasicCredentials(string UserName, byte[] Password);

/// <summary>
/// What a charge point offers at its WebSocket handshake: Basic credentials, the client certificate of the TLS
/// handshake (Kestrel asks for one and leaves judging it to the admission), whether the connection is TLS at all.
/// </summary>
public sealed record ConnectionAttempt(
    string ChargePointId, BasicCredentials? Credentials, X509Certificate2? ClientCertificate, bool IsTls, string? RemoteAddress);

/// <summary>Decides at the WebSocket handshake whether a charge point identity may connect.</summary>
public interface IChargePointAdmission
{
    Task<AdmissionDecision> AdmitAsync(ConnectionAttempt attempt, CancellationToken cancellationToken);

    /// <summary>Whether what admitted a connection (<paramref name="admitted"/>: its stamp, its certificate) still holds.</summary>
    Task<bool> StillQualifiesAsync(string chargePointId, AdmissionDecision admitted, CancellationToken cancellationToken);
}
