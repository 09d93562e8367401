namespace OcppServer.Ocpp.Connections;

public enum AdmissionOutcome
{
    Admitted,

    /// <summary>No such charge point and unknown ones are rejected: HTTP 404.</summary>
    Unknown,

    /// <summary>Missing or wrong Basic credentials: HTTP 401.</summary>
    Unauthorized,
}

public sealed record AdmissionDecision(AdmissionOutcome Outcome, bool RegistrationAccepted = false)
{
    public static AdmissionDecision Unknown { get; } = new(AdmissionOutcome.Unknown);

    public static AdmissionDecision Unauthorized { get; } = new(AdmissionOutcome.Unauthorized);
}

/// <summary>HTTP Basic credentials from the handshake (OCPP 1.6 security profile 1).</summary>
public sealed record BasicCredentials(string UserName, byte[] Password);

/// <summary>Decides at the WebSocket handshake whether a charge point identity may connect.</summary>
public interface IChargePointAdmission
{
    Task<AdmissionDecision> AdmitAsync(string chargePointId, BasicCredentials? credentials, CancellationToken cancellationToken);
}
