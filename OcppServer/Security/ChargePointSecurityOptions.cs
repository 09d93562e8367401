namespace OcppServer.Security;

/// <summary>How charge points of security profile 3 (TLS client certificates) are judged (section <c>Security</c>).</summary>
public sealed class ChargePointSecurityOptions
{
    public const string Section = "Security";

    /// <summary>PEM file of one or more CA certificates; a charge point's client certificate must chain to one of them. Unset: profile 3 is unavailable.</summary>
    public string? ChargePointCa { get; set; }

    /// <summary>
    /// PEM file of the CA's private key, for signing the chargers' certificate requests (SignCertificate) itself; checked
    /// to match a CA at start. Unset: a request the server accepts waits for an operator-approved signer
    /// (<c>/api/certificates/signing-requests</c>).
    /// </summary>
    public string? ChargePointCaKey { get; set; }

    /// <summary>A CRL file (PEM or DER) of the CA; a certificate listed in it is refused. Read again when the file changes.</summary>
    public string? ChargePointCrl { get; set; }

    /// <summary>When set, a client certificate's subject O must equal it (the whitepaper: the CPO's name).</summary>
    public string? ChargePointOrganization { get; set; }

    /// <summary>How long a certificate the server signs for a charger is valid (never beyond its CA).</summary>
    public int ChargePointCertificateDays { get; set; } = 365;

    /// <summary>
    /// Plain UpdateFirmware (unsigned firmware) is refused for charge points of security profile 2 and 3: they are sent
    /// SignedUpdateFirmware, whose signature the charger checks (OCPP 1.6 security whitepaper). False allows it.
    /// </summary>
    public bool RequireSignedFirmware { get; set; } = true;
}
