using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OcppServer.Benchmarks;

/// <summary>
/// The <c>lpr-check</c> command: loads a plate recogniser exported by <c>tools/lpr/export.py</c> with ONNX Runtime
/// (the product's runtime, one thread), runs the check batch written beside it (<c>MODEL.check.bin</c>: synthetic
/// validation crops, their labels and the torch model's output), and prints the largest difference from torch and
/// what greedy CTC decoding reads. Exit code 0 when ONNX Runtime agrees with torch (max |Δ| ≤ 1e-3 on the
/// log-probabilities and the same reading for every crop), 1 otherwise.
/// </summary>
internal static class LprCheck
{
    public static int Run(string[] args)
    {
        var model = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "training/lpr/lpr.onnx";
        var checkFile = model + ".check.bin";
        var alphabet = File.ReadAllText(model + ".alphabet.txt", Encoding.UTF8).TrimEnd('\n', '\r');

        using var reader = new BinaryReader(File.OpenRead(checkFile), Encoding.UTF8);
        int n = reader.ReadInt32(), channels = reader.ReadInt32(), height = reader.ReadInt32(), width = reader.ReadInt32();
        int steps = reader.ReadInt32(), classes = reader.ReadInt32();
        var labels = Enumerable.Range(0, n).Select(_ => Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadInt32()))).ToList();
        var input = ReadFloats(reader, n * channels * height * width);
        var expected = ReadFloats(reader, n * steps * classes);

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model, options);
        var inputName = session.InputMetadata.Keys.First();
        var tensor = new DenseTensor<float>(input, [n, channels, height, width]);
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)]);
        var elapsed = started.Elapsed;
        var output = results[0].AsTensor<float>().ToArray();
        if (output.Length != expected.Length)
        {
            Console.WriteLine($"lpr-check: ONNX Runtime gave {output.Length} values, torch {expected.Length}");
            return 1;
        }
        var maxDiff = output.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        int exact = 0, agree = 0;
        for (var i = 0; i < n; i++)
        {
            var ours = Decode(output, i, steps, classes, alphabet);
            var theirs = Decode(expected, i, steps, classes, alphabet);
            exact += ours == labels[i] ? 1 : 0;
            agree += ours == theirs ? 1 : 0;
            Console.WriteLine($"  {labels[i],-10} onnxruntime '{ours}' torch '{theirs}'");
        }
        Console.WriteLine($"lpr-check: {Path.GetFileName(model)}: {n} crops in {elapsed.TotalMilliseconds:0.0} ms on one thread; " +
            $"max |onnxruntime - torch| {maxDiff:0.######}; same reading {agree}/{n}; exact {exact}/{n}");
        return maxDiff <= 1e-3f && agree == n ? 0 : 1;
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var bytes = reader.ReadBytes(count * sizeof(float));
        if (bytes.Length != count * sizeof(float))
        {
            throw new InvalidDataException("The check file ends early.");
        }
        var values = new float[count];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length); // little-endian on every platform .NET runs here
        return values;
    }

    /// <summary>Greedy CTC: the best class per step, repeats merged, blanks (class 0) dropped.</summary>
    private static string Decode(float[] logProbs, int item, int steps, int classes, string alphabet)
    {
        var text = new StringBuilder();
        var previous = 0;
        for (var t = 0; t < steps; t++)
        {
            var row = logProbs.AsSpan((item * steps + t) * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            if (best != 0 && best != previous)
            {
                text.Append(alphabet[best - 1]);
            }
            previous = best;
        }
        return text.ToString();
    }
}
