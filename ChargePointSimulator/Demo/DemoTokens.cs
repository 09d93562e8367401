using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChargePointSimulator.Biometrics;

namespace ChargePointSimulator.Demo;

/// <summary>Tokens an attacker could make: claims of their choosing, signed with the wrong key or not at all.</summary>
public static class DemoTokens
{
    public static BiometricTokenClaims Claims(string chargePointId, int connectorId, ReadOnlySpan<float> template, DateTimeOffset issuedAt, TimeSpan lifetime) =>
        new(chargePointId, connectorId, issuedAt.ToUnixTimeSeconds(), (issuedAt + lifetime).ToUnixTimeSeconds(), Guid.NewGuid().ToString("N"), "face",
            BiometricTemplateGenerator.Encode(template), 0.97);

    /// <summary>ES256 with the attacker's own key, presenting the registered reader's key id.</summary>
    public static string Forged(BiometricTokenClaims claims, string keyId)
    {
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string signingInput = SigningInput(new Dictionary<string, string> { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = keyId }, claims);
        byte[] signature = attackerKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.Encode(signature)}";
    }

    /// <summary>An unsecured JWS (<c>alg: none</c>, empty signature).</summary>
    public static string AlgNone(BiometricTokenClaims claims, string keyId) =>
        SigningInput(new Dictionary<string, string> { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = keyId }, claims) + ".";

    private static string SigningInput(Dictionary<string, string> header, BiometricTokenClaims claims) =>
        $"{Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims))}";
}
