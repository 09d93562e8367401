using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OcppServer.Authorization.Biometrics;

namespace OcppServer.Tests.Infrastructure;

/// <summary>A biometric reader for tests: an EC P-256 key that signs compact JWS tokens, and template helpers.</summary>
public sealed class TestBiometricReader(string keyId) : IDisposable
{
    public const int Dimension = 128;

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId { get; } = keyId;

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>A person's enrolled template: a deterministic pseudo-random vector.</summary>
    public static float[] Person(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Dimension).Select(_ => (float)Gaussian(random)).ToArray();
    }

    /// <summary>A fresh capture of the person: the enrolled vector plus a little noise.</summary>
    public static float[] Sample(float[] enrolled, int seed, double noise = 0.15)
    {
        var random = new Random(seed);
        return enrolled.Select(v => (float)(v + noise * Gaussian(random))).ToArray();
    }

    public static string Base64Template(float[] template) => Convert.ToBase64String(TemplateCodec.ToLittleEndianBytes(template));

    public string Sign(
        string chargePointId, int connectorId, float[] template, DateTimeOffset now, string? jti = null, double liveness = 0.95,
        TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, string alg = "ES256", string? kid = null)
    {
        var iat = issuedAt ?? now;
        var header = new Dictionary<string, object> { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid ?? KeyId };
        var payload = new Dictionary<string, object>
        {
            ["cp"] = chargePointId,
            ["connectorId"] = connectorId,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["exp"] = (iat + (lifetime ?? TimeSpan.FromMinutes(2))).ToUnixTimeSeconds(),
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
            ["mod"] = "face",
            ["tpl"] = Base64Url.EncodeToString(TemplateCodec.ToLittleEndianBytes(template)),
            ["liveness"] = liveness,
        };
        string signingInput = Encode(header) + "." + Encode(payload);
        if (alg == "none")
        {
            return signingInput + ".";
        }

        byte[] signature = Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => Key.Dispose();

    private static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
