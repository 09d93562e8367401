namespace OcppServer.Benchmarks;

/// <summary>Options of the <c>plates</c> command.</summary>
internal sealed record BenchmarkArguments(int Count, int Seed, string? RealFolder, string? DumpFolder, OcppServer.Vision.PlateRecognizerKind Primary = OcppServer.Vision.PlateRecognizerKind.PpOcr)
{
    /// <summary><c>--min-confidence</c>: the acceptance threshold to report at (default: Vision:MinConfidence's default).</summary>
    public double? MinConfidence { get; init; }

    public static BenchmarkArguments Parse(string[] args)
    {
        var count = 500;
        var seed = 1;
        string? real = null, dump = null;
        var primary = new OcppServer.Vision.VisionOptions().PrimaryRecognizer;
        double? minConfidence = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--count": count = int.Parse(value); i++; break;
                case "--seed": seed = int.Parse(value); i++; break;
                case "--real": real = value; i++; break;
                case "--dump": dump = value; i++; break;
                case "--primary": primary = Enum.Parse<OcppServer.Vision.PlateRecognizerKind>(value, ignoreCase: true); i++; break;
                case "--min-confidence": minConfidence = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); i++; break;
                default: throw new ArgumentException($"Unknown option {args[i]}");
            }
        }
        return new BenchmarkArguments(count, seed, real, dump, primary) { MinConfidence = minConfidence };
    }
}
