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

    /// <summary>
    /// A reader whose key is derived from <paramref name="label"/> (SHA-256 of the label as the private scalar): the same
    /// label gives the same key in every process, so load workers rebuild the keys the parent registered. Not secret:
    /// for simulations only.
    /// </summary>
    public static BiometricReader Derive(string label)
    {
        // The scalar must lie in [1, n-1] for the P-256 group order n; a hash outside it (odds ~2^-32) is hashed again.
        byte[] order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        byte[] scalar = SHA256.HashData(Encoding.UTF8.GetBytes(label));
        while (scalar.AsSpan().SequenceCompareTo(order) >= 0 || scalar.All(b => b == 0))
        {
            scalar = SHA256.HashData(scalar);
        }

        return new BiometricReader(ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar }));
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
