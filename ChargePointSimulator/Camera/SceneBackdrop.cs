using SkiaSharp;

namespace ChargePointSimulator.Camera;

/// <summary>Everything in an entrance-camera scene that is not the plate: clutter, a car, uneven light.</summary>
internal static class SceneBackdrop
{
    private static readonly string[] SignWords = ["EXIT", "PARKING", "EV ONLY", "STOP", "WELCOME", "CHARGE", "SLOW", "ENTRANCE"];

    public static void Draw(SKCanvas canvas, int width, int height, Random random, PlateFonts fonts)
    {
        var top = RandomColor(random, 60, 220);
        var bottom = RandomColor(random, 30, 150);
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height), [top, bottom], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = shader })
        {
            canvas.DrawRect(0, 0, width, height, paint);
        }

        using var fill = new SKPaint { IsAntialias = true };
        // Buildings, walls, windows and poles.
        for (var i = random.Next(8, 20); i > 0; i--)
        {
            fill.Color = RandomColor(random, 20, 240);
            var w = random.Next(20, 400);
            var h = random.Next(20, 400);
            canvas.DrawRect(random.Next(-50, width), random.Next(-50, height), w, h, fill);
        }
        using var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke };
        for (var i = random.Next(5, 15); i > 0; i--)
        {
            line.Color = RandomColor(random, 0, 255);
            line.StrokeWidth = random.Next(1, 6);
            canvas.DrawLine(random.Next(width), random.Next(height), random.Next(width), random.Next(height), line);
        }
        // A sign with words (no digits), high in the picture.
        if (random.Next(2) == 0)
        {
            fill.Color = RandomColor(random, 100, 255);
            var x = random.Next(0, width - 260);
            var y = random.Next(0, 120);
            canvas.DrawRect(x, y, 260, 70, fill);
            using var font = new SKFont(fonts.Latin[random.Next(fonts.Latin.Count)], 40);
            using var ink = new SKPaint { IsAntialias = true, Color = RandomColor(random, 0, 80) };
            canvas.DrawText(SignWords[random.Next(SignWords.Length)], x + 12, y + 50, SKTextAlign.Left, font, ink);
        }
    }

    /// <summary>Draws a car seen from the front or back; returns where its plate goes.</summary>
    public static SKPoint DrawCar(SKCanvas canvas, int width, int height, Random random)
    {
        var carWidth = random.Next(width * 45 / 100, width * 80 / 100);
        var centerX = width / 2f + random.Next(-width / 8, width / 8);
        var left = centerX - carWidth / 2f;
        var right = centerX + carWidth / 2f;
        var roofTop = random.Next(height / 12, height / 3);
        var bodyTop = roofTop + random.Next(height / 6, height / 4);
        var bodyBottom = height + random.Next(-height / 10, height / 10);
        var body = RandomColor(random, 20, 235);

        using var paint = new SKPaint { IsAntialias = true };
        // Wheels peeking out below the body.
        paint.Color = new SKColor(15, 15, 15);
        canvas.DrawRoundRect(new SKRect(left + carWidth * 0.05f, bodyBottom - 60, left + carWidth * 0.22f, bodyBottom + 40), 20, 20, paint);
        canvas.DrawRoundRect(new SKRect(right - carWidth * 0.22f, bodyBottom - 60, right - carWidth * 0.05f, bodyBottom + 40), 20, 20, paint);

        // Cabin and windscreen.
        paint.Color = Shade(body, 0.8f);
        using (var cabin = new SKPath())
        {
            cabin.MoveTo(left + carWidth * 0.16f, bodyTop);
            cabin.LineTo(left + carWidth * 0.27f, roofTop);
            cabin.LineTo(right - carWidth * 0.27f, roofTop);
            cabin.LineTo(right - carWidth * 0.16f, bodyTop);
            cabin.Close();
            canvas.DrawPath(cabin, paint);
        }
        paint.Color = new SKColor((byte)random.Next(20, 70), (byte)random.Next(30, 80), (byte)random.Next(40, 100));
        using (var glass = new SKPath())
        {
            glass.MoveTo(left + carWidth * 0.2f, bodyTop - 6);
            glass.LineTo(left + carWidth * 0.29f, roofTop + 12);
            glass.LineTo(right - carWidth * 0.29f, roofTop + 12);
            glass.LineTo(right - carWidth * 0.2f, bodyTop - 6);
            glass.Close();
            canvas.DrawPath(glass, paint);
        }

        // Body, lights, grille, bumper.
        paint.Color = body;
        canvas.DrawRoundRect(new SKRect(left, bodyTop, right, bodyBottom), 40, 40, paint);
        var lightY = bodyTop + (bodyBottom - bodyTop) * 0.18f;
        paint.Color = random.Next(2) == 0 ? new SKColor(240, 240, 225) : new SKColor(200, 30, 30);
        canvas.DrawOval(new SKRect(left + carWidth * 0.04f, lightY - 22, left + carWidth * 0.2f, lightY + 22), paint);
        canvas.DrawOval(new SKRect(right - carWidth * 0.2f, lightY - 22, right - carWidth * 0.04f, lightY + 22), paint);
        paint.Color = Shade(body, 0.35f);
        var grille = new SKRect(centerX - carWidth * 0.2f, lightY - 25, centerX + carWidth * 0.2f, lightY + 30);
        canvas.DrawRoundRect(grille, 10, 10, paint);
        using var slat = new SKPaint { IsAntialias = true, Color = Shade(body, 0.6f), StrokeWidth = 3 };
        for (var y = grille.Top + 8; y < grille.Bottom - 4; y += 9)
        {
            canvas.DrawLine(grille.Left + 6, y, grille.Right - 6, y, slat);
        }
        var bumperY = bodyTop + (bodyBottom - bodyTop) * (0.45f + (float)random.NextDouble() * 0.12f);
        paint.Color = Shade(body, 0.55f);
        canvas.DrawRect(new SKRect(left + 10, bumperY + 60, right - 10, bumperY + 75), paint);
        return new SKPoint(centerX, bumperY);
    }

    /// <summary>Uneven light: a broad bright or dark gradient across the picture.</summary>
    public static void DrawLighting(SKCanvas canvas, int width, int height, Random random)
    {
        var alpha = (byte)random.Next(0, 110);
        var tint = random.Next(2) == 0 ? new SKColor(0, 0, 0, alpha) : new SKColor(255, 250, 235, alpha);
        var from = new SKPoint(random.Next(width), random.Next(height));
        var to = new SKPoint(random.Next(width), random.Next(height));
        using var shader = SKShader.CreateLinearGradient(from, to, [tint, SKColors.Transparent], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(0, 0, width, height, paint);
    }

    private static SKColor RandomColor(Random random, int min, int max) =>
        new((byte)random.Next(min, max), (byte)random.Next(min, max), (byte)random.Next(min, max));

    private static SKColor Shade(SKColor color, float factor) =>
        new((byte)(color.Red * factor), (byte)(color.Green * factor), (byte)(color.Blue * factor));
}
