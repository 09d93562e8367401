using System.Buffers.Binary;

namespace OcppServer.Authorization.Biometrics;

/// <summary>Templates travel as little-endian float32 arrays (base64 in the API, base64url in tokens).</summary>
public static class TemplateCodec
{
    /// <summary>Decodes little-endian float32 values; null when the length is not a multiple of 4 or a value is not finite.</summary>
    public static float[]? FromLittleEndianBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 || bytes.Length % sizeof(float) != 0)
        {
            return null;
        }

        float[] values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            if (!float.IsFinite(values[i]))
            {
                return null;
            }
        }

        return values;
    }

    public static byte[] ToLittleEndianBytes(ReadOnlySpan<float> values)
    {
        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    /// <summary>Scales to unit length so that cosine similarity is a dot product; null for a zero vector.</summary>
    public static float[]? Normalize(ReadOnlySpan<float> values)
    {
        double norm = Math.Sqrt(VectorMath.Dot(values, values));
        if (norm < 1e-12 || !double.IsFinite(norm))
        {
            return null;
        }

        float[] unit = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            unit[i] = (float)(values[i] / norm);
        }

        return unit;
    }
}
