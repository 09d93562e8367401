using SkiaSharp;

namespace ChargePointSimulator.Camera;

/// <summary>
/// Renders deterministic entrance-camera scenes: a car-like shape in a cluttered background with the plate on
/// its bumper, under perspective, rotation, blur, noise, uneven lighting and JPEG compression. The same plate,
/// style, seed and settings always give the same bytes.
/// </summary>
public sealed class PlateSceneGenerator(PlateFonts fonts, PlateSceneSettings? settings = null)
{
    private readonly PlateRenderer _plates = new(fonts);
    private readonly PlateSceneSettings _settings = settings ?? new PlateSceneSettings();

    /// <summary>Renders a random plate of the style; the plate drawn is in the result.</summary>
    public PlateScene RenderRandom(PlateStyle style, int seed)
    {
        // HashCode.Combine is randomised per process: mix the seed by hand so the plate is the same every run.
        var plate = PlateNumbers.Next(style, new Random(unchecked((seed * 397) ^ ((int)style + 1) * 7919)));
        return Render(plate, style, seed);
    }

    public PlateScene Render(string plate, PlateStyle style, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plate);
        var random = new Random(seed);
        var s = _settings;
        var info = new SKImageInfo(s.Width, s.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var scene = new SKBitmap(info);
        using (var canvas = new SKCanvas(scene))
        {
            SceneBackdrop.Draw(canvas, s.Width, s.Height, random, fonts);
            var bumper = SceneBackdrop.DrawCar(canvas, s.Width, s.Height, random);
            var corners = PlaceAndDrawPlate(canvas, plate, style, bumper, random);
            SceneBackdrop.DrawLighting(canvas, s.Width, s.Height, random);
            var jpeg = Finish(scene, random);
            return new PlateScene(jpeg, plate, style, s.Width, s.Height, corners.Select(p => new ScenePoint(p.X, p.Y)).ToList(), seed);
        }
    }

    private SKPoint[] PlaceAndDrawPlate(SKCanvas canvas, string plate, PlateStyle style, SKPoint bumper, Random random)
    {
        var s = _settings;
        using var flat = _plates.Render(plate, style, random);
        var width = Uniform(random, s.MinPlateWidth, s.MaxPlateWidth);
        var height = width * flat.Height / flat.Width;
        var angle = Uniform(random, -s.MaxRotationDegrees, s.MaxRotationDegrees) * MathF.PI / 180;
        var yaw = Uniform(random, -s.MaxPerspective, s.MaxPerspective);
        var pitch = Uniform(random, -s.MaxPerspective / 2, s.MaxPerspective / 2);
        var center = new SKPoint(bumper.X + Uniform(random, -40, 40), bumper.Y + Uniform(random, -20, 20));

        // Plate corners around the origin: the nearer side taller (yaw), the nearer edge wider (pitch).
        var halfW = width / 2;
        var halfH = height / 2;
        SKPoint[] local =
        [
            new(-halfW * (1 + pitch), -halfH * (1 - yaw)),
            new(halfW * (1 + pitch), -halfH * (1 + yaw)),
            new(halfW * (1 - pitch), halfH * (1 + yaw)),
            new(-halfW * (1 - pitch), halfH * (1 - yaw)),
        ];
        var (sin, cos) = MathF.SinCos(angle);
        var corners = local.Select(p => new SKPoint(center.X + p.X * cos - p.Y * sin, center.Y + p.X * sin + p.Y * cos)).ToArray();

        // A dark plate holder around the plate.
        if (random.Next(3) > 0)
        {
            var frame = corners.Select(p => center + new SKPoint((p.X - center.X) * 1.06f, (p.Y - center.Y) * 1.18f)).ToArray();
            using var path = new SKPath();
            path.AddPoly(frame, close: true);
            using var holder = new SKPaint { IsAntialias = true, Color = new SKColor(20, 20, 22) };
            canvas.DrawPath(path, holder);
        }

        SKPoint[] source = [new(0, 0), new(flat.Width, 0), new(flat.Width, flat.Height), new(0, flat.Height)];
        var transform = Homography.Between(source, corners);
        using var image = SKImage.FromBitmap(flat);
        canvas.Save();
        canvas.SetMatrix(transform);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Restore();

        // Sometimes a soft shadow or dirt across part of the plate.
        if (random.Next(4) == 0)
        {
            using var path = new SKPath();
            path.AddPoly(corners, close: true);
            using var shade = SKShader.CreateLinearGradient(corners[0], corners[2],
                [new SKColor(0, 0, 0, (byte)random.Next(30, 90)), SKColors.Transparent], [0f, Uniform(random, 0.3f, 0.8f)], SKShaderTileMode.Clamp);
            using var paint = new SKPaint { IsAntialias = true, Shader = shade };
            canvas.DrawPath(path, paint);
        }
        return corners;
    }

    private byte[] Finish(SKBitmap scene, Random random)
    {
        var s = _settings;
        var contrast = Uniform(random, 0.75f, 1.15f);
        var brightness = Uniform(random, -s.MaxBrightnessShift, s.MaxBrightnessShift) / 255f;
        var offset = brightness + (1 - contrast) * 0.5f;
        float[] matrix =
        [
            contrast, 0, 0, 0, offset,
            0, contrast, 0, 0, offset,
            0, 0, contrast, 0, offset,
            0, 0, 0, 1, 0,
        ];
        var sigma = Uniform(random, 0, s.MaxBlurSigma);
        using var output = new SKBitmap(scene.Info);
        using (var canvas = new SKCanvas(output))
        using (var colour = SKColorFilter.CreateColorMatrix(matrix))
        using (var blur = sigma > 0.2f ? SKImageFilter.CreateBlur(sigma, sigma) : null)
        using (var paint = new SKPaint { ColorFilter = colour, ImageFilter = blur })
        using (var source = SKImage.FromBitmap(scene))
        {
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
        }
        AddNoise(output, Uniform(random, 0, s.MaxNoise), random);
        using var image = SKImage.FromBitmap(output);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, random.Next(s.MinJpegQuality, s.MaxJpegQuality + 1));
        return data.ToArray();
    }

    private static void AddNoise(SKBitmap bitmap, float sigma, Random random)
    {
        if (sigma < 0.5f)
        {
            return;
        }
        // A table of Gaussian samples keeps this fast; the seed still fixes every value.
        var table = new short[4096];
        for (var i = 0; i < table.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            table[i] = (short)Math.Round(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        var state = (uint)random.Next() | 1u;
        var bytes = bitmap.GetPixelSpan();
        for (var i = 0; i < bytes.Length; i++)
        {
            if ((i & 3) == 3)
            {
                continue; // alpha
            }
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)Math.Clamp(bytes[i] + table[state & 4095], 0, 255);
        }
    }

    private static float Uniform(Random random, float min, float max) => min + (float)random.NextDouble() * (max - min);
}
