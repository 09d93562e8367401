namespace ChargePointSimulator.Camera;

/// <summary>A point in image pixels.</summary>
public readonly record struct ScenePoint(float X, float Y);

/// <summary>
/// One rendered entrance-camera image. <see cref="PlateCorners"/> is the plate's outline in the image
/// (top-left, top-right, bottom-right, bottom-left).
/// </summary>
public sealed record PlateScene(
    byte[] Jpeg,
    string Plate,
    PlateStyle Style,
    int Width,
    int Height,
    IReadOnlyList<ScenePoint> PlateCorners,
    int Seed);
