using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ChargePointSimulator.Biometrics;

/// <summary>
/// Deterministic face templates for simulated people: a person's enrolled vector comes from a seed (the same on every
/// machine and run); a genuine sample is that vector plus noise; an impostor is another person. Vectors are
/// L2-normalised float32 embeddings, compared by cosine similarity.
/// </summary>
public sealed class BiometricTemplateGenerator(int dimensions = 128)
{
    public int Dimensions { get; } = dimensions;

    /// <summary>The template enrolled for the person with this seed.</summary>
    public float[] Enrolled(string personSeed) => Normalize(Gaussian($"person:{personSeed}", Dimensions));

    /// <summary>A new capture of the same person: enrolled vector plus Gaussian noise of relative size <paramref name="noise"/>.</summary>
    public float[] GenuineSample(string personSeed, int sampleIndex, double noise = 0.2)
    {
        var enrolled = Enrolled(personSeed);
        var jitter = Gaussian($"sample:{personSeed}:{sampleIndex}", Dimensions);
        double scale = noise / Math.Sqrt(Dimensions);
        return Normalize(enrolled.Select((v, i) => (float)(v + jitter[i] * scale)).ToArray());
    }

    /// <summary>A capture of somebody else (impostor number <paramref name="index"/> for this person).</summary>
    public float[] Impostor(string personSeed, int index) => Enrolled($"{personSeed}/impostor/{index}");

    /// <summary>
    /// A face that resembles <paramref name="a"/>: <paramref name="weightOfA"/> of it and the rest of <paramref name="b"/>,
    /// normalised (a look-alike of a, who is still b).
    /// </summary>
    public static float[] Blend(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double weightOfA)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Templates differ in length");
        }

        var blend = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            blend[i] = (float)(weightOfA * a[i] + (1 - weightOfA) * b[i]);
        }

        return Normalize(blend);
    }

    /// <summary>The <c>tpl</c> claim: base64url of the little-endian float32 values.</summary>
    public static string Encode(ReadOnlySpan<float> template)
    {
        var bytes = new byte[template.Length * 4];
        for (int i = 0; i < template.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), template[i]);
        }

        return Base64Url.Encode(bytes);
    }

    public static float[] Decode(string encoded)
    {
        byte[] bytes = Base64Url.Decode(encoded);
        if (bytes.Length % 4 != 0)
        {
            throw new FormatException("A template is a whole number of float32 values");
        }

        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }

        return values;
    }

    public static double CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Templates differ in length");
        }

        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    /// <summary>Standard normal values from SHA-256 in counter mode (Box–Muller): identical everywhere for a label.</summary>
    private static double[] Gaussian(string label, int count)
    {
        var values = new double[count];
        byte[] prefix = Encoding.UTF8.GetBytes(label);
        Span<byte> input = stackalloc byte[prefix.Length + 4];
        prefix.CopyTo(input);
        Span<byte> hash = stackalloc byte[32];
        int produced = 0;
        for (uint block = 0; produced < count; block++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input[prefix.Length..], block);
            SHA256.HashData(input, hash);
            for (int offset = 0; offset + 8 <= hash.Length && produced < count; offset += 8)
            {
                double u1 = (BinaryPrimitives.ReadUInt32LittleEndian(hash[offset..]) + 1.0) / 4294967297.0;
                double u2 = BinaryPrimitives.ReadUInt32LittleEndian(hash[(offset + 4)..]) / 4294967296.0;
                values[produced++] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
        }

        return values;
    }

    private static float[] Normalize(IReadOnlyList<double> values) => Normalize(values.Select(v => (float)v).ToArray());

    private static float[] Normalize(float[] values)
    {
        double norm = Math.Sqrt(values.Sum(v => (double)v * v));
        return norm == 0 ? values : values.Select(v => (float)(v / norm)).ToArray();
    }
}
