namespace ChargePointSimulator.Camera;

/// <summary>How much each rendered scene may vary; every value is drawn uniformly from its range by the seed.</summary>
public sealed record PlateSceneSettings
{
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;

    /// <summary>Plate width in the image, pixels.</summary>
    public int MinPlateWidth { get; init; } = 170;
    public int MaxPlateWidth { get; init; } = 330;

    /// <summary>In-plane rotation, degrees either way.</summary>
    public float MaxRotationDegrees { get; init; } = 7;

    /// <summary>Perspective: how much one side of the plate may be taller than the other (0.15 = 15 %).</summary>
    public float MaxPerspective { get; init; } = 0.14f;

    /// <summary>Gaussian blur sigma, pixels.</summary>
    public float MaxBlurSigma { get; init; } = 1.3f;

    /// <summary>Standard deviation of added pixel noise, grey levels.</summary>
    public float MaxNoise { get; init; } = 7;

    /// <summary>Brightness shift, grey levels either way.</summary>
    public int MaxBrightnessShift { get; init; } = 45;

    public int MinJpegQuality { get; init; } = 55;
    public int MaxJpegQuality { get; init; } = 95;
}
