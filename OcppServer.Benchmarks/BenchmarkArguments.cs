namespace OcppServer.Benchmarks;

/// <summary>Options of the <c>plates</c> command.</summary>
internal sealed record BenchmarkArguments(int Count, int Seed, string? RealFolder, string? DumpFolder, OcppServer.Vision.PlateRecognizerKind Primary = OcppServer.Vision.PlateRecognizerKind.PpOcr)
{
    /// <summary><c>--min-confidence</c>: the acceptance threshold to report at (default: Vision:MinConfidence's default).</summary>
    public double? MinConfidence { get; init; }

    /// <summary>
    /// <c>--hard</c>: generated scenes far harsher than the default ones (smaller, blurrier, noisier, darker or brighter,
    /// more tilted plates, lower JPEG quality), so that the reader is seldom sure and its search, second opinion and
    /// vote are exercised; the default scenes are read ~99 % right and can tell few changes apart.
    /// </summary>
    public bool Hard { get; init; }

    /// <summary>The scene settings <c>--hard</c> selects (null: the generator's defaults).</summary>
    public ChargePointSimulator.Camera.PlateSceneSettings? SceneSettings => Hard
        ? new ChargePointSimulator.Camera.PlateSceneSettings
        {
            MinPlateWidth = 100, MaxPlateWidth = 200, MaxRotationDegrees = 12, MaxPerspective = 0.25f, MaxBlurSigma = 2.2f,
            MaxNoise = 14, MaxBrightnessShift = 75, MinJpegQuality = 30, MaxJpegQuality = 75,
        }
        : null;

    public static BenchmarkArguments Parse(string[] args)
    {
        var count = 500;
        var seed = 1;
        string? real = null, dump = null;
        var primary = new OcppServer.Vision.VisionOptions().PrimaryRecognizer;
        double? minConfidence = null;
        var hard = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--hard")
            {
                hard = true;
                continue;
            }
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
        return new BenchmarkArguments(count, seed, real, dump, primary) { MinConfidence = minConfidence, Hard = hard };
    }
}
