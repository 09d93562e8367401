using System.Text.Json;
using ChargePointSimulator.Biometrics;

namespace OcppServer.Tests.Simulator;

public sealed class BiometricReaderTests
{
    [Test]
    public void Templates_are_deterministic_and_genuine_samples_match_better_than_impostors()
    {
        var generator = new BiometricTemplateGenerator();
        var enrolled = generator.Enrolled("alice");

        Assert.That(generator.Enrolled("alice"), Is.EqualTo(enrolled), "same seed, same person");
        Assert.That(enrolled, Has.Length.EqualTo(128));
        for (int i = 0; i < 5; i++)
        {
            double genuine = BiometricTemplateGenerator.CosineSimilarity(enrolled, generator.GenuineSample("alice", i));
            double impostor = BiometricTemplateGenerator.CosineSimilarity(enrolled, generator.Impostor("alice", i));
            Assert.That(genuine, Is.GreaterThan(0.9), $"genuine sample {i}");
            Assert.That(Math.Abs(impostor), Is.LessThan(0.4), $"impostor {i}");
        }

        Assert.That(BiometricTemplateGenerator.Decode(BiometricTemplateGenerator.Encode(enrolled)), Is.EqualTo(enrolled));
    }

    [Test]
    public void Tokens_are_ES256_compact_JWS_with_the_agreed_claims()
    {
        using var reader = new BiometricReader();
        var template = new BiometricTemplateGenerator().GenuineSample("bob", 1);

        string token = reader.CreateToken("CP-1", 2, template, 0.97, TimeProvider.System);

        var parts = token.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3));
        var header = JsonDocument.Parse(Base64Url.Decode(parts[0])).RootElement;
        Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("ES256"));
        Assert.That(Base64Url.Decode(parts[2]), Has.Length.EqualTo(64), "r||s");
        Assert.That(reader.PublicKeyPem, Does.StartWith("-----BEGIN PUBLIC KEY-----"));

        var claims = BiometricReader.Verify(token, reader.PublicKeyPem);
        Assert.That(claims, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(claims!.ChargePointId, Is.EqualTo("CP-1"));
            Assert.That(claims.ConnectorId, Is.EqualTo(2));
            Assert.That(claims.Modality, Is.EqualTo("face"));
            Assert.That(claims.ExpiresAt, Is.GreaterThan(claims.IssuedAt));
            Assert.That(claims.Liveness, Is.EqualTo(0.97));
            Assert.That(BiometricTemplateGenerator.Decode(claims.Template), Is.EqualTo(template));
        });
        var payload = JsonDocument.Parse(Base64Url.Decode(parts[1])).RootElement;
        Assert.That(payload.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "cp", "connectorId", "iat", "exp", "jti", "mod", "tpl", "liveness" }));

        using var other = new BiometricReader();
        Assert.That(BiometricReader.Verify(token, other.PublicKeyPem), Is.Null, "another reader's key does not verify it");
        using var restored = BiometricReader.FromPem(reader.PrivateKeyPem);
        Assert.That(restored.PublicKeyPem, Is.EqualTo(reader.PublicKeyPem));
    }
}
