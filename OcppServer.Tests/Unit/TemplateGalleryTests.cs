using OcppServer.Authorization.Biometrics;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Unit;

public sealed class TemplateCodecTests
{
    [Test]
    public void Templates_round_trip_as_little_endian_float32()
    {
        float[] values = [1.5f, -2.25f, 0f, 3.4028235e38f];
        byte[] bytes = TemplateCodec.ToLittleEndianBytes(values);
        Assert.That(bytes, Has.Length.EqualTo(16));
        Assert.That(bytes[..4], Is.EqualTo(new byte[] { 0x00, 0x00, 0xC0, 0x3F }));
        Assert.That(TemplateCodec.FromLittleEndianBytes(bytes), Is.EqualTo(values));
    }

    [Test]
    public void Truncated_or_non_finite_templates_are_refused()
    {
        Assert.That(TemplateCodec.FromLittleEndianBytes(new byte[7]), Is.Null);
        Assert.That(TemplateCodec.FromLittleEndianBytes(TemplateCodec.ToLittleEndianBytes([float.NaN])), Is.Null);
        Assert.That(TemplateCodec.Normalize(new float[8]), Is.Null);
    }

    [Test]
    public void Simd_dot_product_equals_the_scalar_one_for_any_length()
    {
        var random = new Random(5);
        foreach (int length in new[] { 1, 7, 8, 9, 31, 128, 130 })
        {
            float[] a = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
            float[] b = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
            double expected = a.Zip(b, (x, y) => (double)x * y).Sum();
            Assert.That(VectorMath.Dot(a, b), Is.EqualTo(expected).Within(1e-4), $"length {length}");
        }
    }

    [Test]
    public void Genuine_samples_score_high_and_impostors_low()
    {
        float[] person = TestBiometricReader.Person(1);
        var enrolled = TemplateCodec.Normalize(person)!;
        var genuine = TemplateCodec.Normalize(TestBiometricReader.Sample(person, 2))!;
        var impostor = TemplateCodec.Normalize(TestBiometricReader.Person(3))!;
        Assert.That(VectorMath.Dot(enrolled, genuine), Is.GreaterThan(0.9));
        Assert.That(VectorMath.Dot(enrolled, impostor), Is.LessThan(0.4));
    }
}
