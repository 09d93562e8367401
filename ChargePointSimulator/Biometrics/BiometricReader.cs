using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChargePointSimulator.Biometrics;

/// <summary>
/// The face reader of a charge point: it holds an EC P-256 key (whose public key the operator registers) and signs
/// what it captured as a compact JWS (ES256) BiometricToken, sent in the org.ocppauth DataTransfer.
/// </summary>
public sealed class BiometricReader : IDisposable
{
    private readonly ECDsa _key;

    public BiometricReader(ECDsa? key = null)
    {
        _key = key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (_key.KeySize != 256)
        {
            throw new ArgumentException("The reader key must be EC P-256", nameof(key));
        }
    }

    /// <summary>A reader with a key read from a PKCS#8 / SEC1 PEM.</summary>
    public static BiometricReader FromPem(string privateKeyPem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        return new BiometricReader(key);
    }

    /// <summary>SubjectPublicKeyInfo PEM, as printed for registration.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>Key id: base64url of the SHA-256 of the public key (SubjectPublicKeyInfo DER).</summary>
    public string KeyId => Base64Url.Encode(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));

    /// <summary>Captures <paramref name="template"/> for a connector and returns the signed token.</summary>
    public string CreateToken(
        string chargePointId, int connectorId, ReadOnlySpan<float> template, double liveness, TimeProvider time, TimeSpan? lifetime = null)
    {
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new BiometricTokenClaims(
            chargePointId, connectorId, now, now + (long)(lifetime ?? TimeSpan.FromMinutes(2)).TotalSeconds,
            Guid.NewGuid().ToString("N"), "face", BiometricTemplateGenerator.Encode(template), Math.Round(liveness, 3));
        return Sign(claims);
    }

    /// <summary>Compact JWS: base64url(header).base64url(claims).base64url(r‖s).</summary>
    public string Sign(BiometricTokenClaims claims)
    {
        string header = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            ["kid"] = KeyId,
        }));
        string payload = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        string signingInput = $"{header}.{payload}";
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.Encode(signature)}";
    }

    /// <summary>Checks a token's ES256 signature against a public key PEM and returns its claims (null when it does not verify).</summary>
    public static BiometricTokenClaims? Verify(string token, string publicKeyPem)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        bool valid = key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.Decode(parts[2]),
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return valid ? JsonSerializer.Deserialize<BiometricTokenClaims>(Base64Url.Decode(parts[1])) : null;
    }

    public void Dispose() => _key.Dispose();
}
