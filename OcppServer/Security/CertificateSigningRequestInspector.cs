using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OcppServer.Security;

/// <summary>A charger's PKCS#10 request that passed every check, loaded for signing; or why it did not.</summary>
public sealed record InspectedRequest(CertificateRequest? Request, string? Problem)
{
    public bool IsValid => Request is not null;
}

/// <summary>
/// Checks a charger's certificate signing request (SignCertificate, OCPP 1.6 security whitepaper) before anything is
/// signed: one PEM <c>CERTIFICATE REQUEST</c> whose signature verifies (<see cref="CertificateRequest.LoadSigningRequestPem(string, HashAlgorithmName, CertificateRequestLoadOptions, RSASignaturePadding?)"/>
/// checks it: the charger holds the key), a subject with exactly one CN equal to the charge point's identity (and O equal to
/// <c>Security:ChargePointOrganization</c> when set), and a key of at least the whitepaper's strength: RSA of 2,048 to
/// 8,192 bits, or EC on P-256, P-384 or P-521. The request's own extensions are ignored: the signer sets them.
/// </summary>
public static class CertificateSigningRequestInspector
{
    private const string RsaKey = "1.2.840.113549.1.1.1";
    private const string EcKey = "1.2.840.10045.2.1";
    private static readonly string[] NamedCurves = ["1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"]; // P-256, P-384, P-521

    public static InspectedRequest Inspect(string csrPem, string chargePointId, string? organization)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(
                csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return new InspectedRequest(null, $"not a PEM certificate request with a valid signature ({ex.Message})");
        }

        if (ChargePointCertificateAuthority.SubjectProblem(request.SubjectName, chargePointId, organization) is { } subject)
        {
            return new InspectedRequest(null, subject);
        }

        return KeyProblem(request.PublicKey) is { } weak ? new InspectedRequest(null, weak) : new InspectedRequest(request, null);
    }

    private static string? KeyProblem(PublicKey key)
    {
        try
        {
            switch (key.Oid.Value)
            {
                case RsaKey:
                {
                    using var rsa = key.GetRSAPublicKey();
                    return rsa is { KeySize: >= 2048 and <= 8192 } ? null : $"RSA key of {rsa?.KeySize} bits (2,048 to 8,192 are accepted)";
                }

                case EcKey:
                {
                    using var ec = key.GetECDsaPublicKey();
                    string? curve = ec?.ExportParameters(false).Curve.Oid?.Value;
                    return curve is not null && NamedCurves.Contains(curve, StringComparer.Ordinal)
                        ? null
                        : $"EC key on curve {curve ?? "(explicit parameters)"} (P-256, P-384 and P-521 are accepted)";
                }

                default:
                    return $"key algorithm {key.Oid.Value} (RSA and EC are accepted)";
            }
        }
        catch (CryptographicException ex)
        {
            return $"the key cannot be read ({ex.Message})";
        }
    }
}
