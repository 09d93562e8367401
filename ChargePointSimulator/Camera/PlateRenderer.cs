using SkiaSharp;

namespace ChargePointSimulator.Camera;

/// <summary>Draws a flat, front-on licence plate bitmap in the layout of its style.</summary>
internal sealed class PlateRenderer(PlateFonts fonts)
{
    private static readonly string[] CountryCodes = ["D", "F", "NL", "PL", "GB", "CZ", "I", "N", "B", "A"];

    public SKBitmap Render(string plate, PlateStyle style, Random random) => style switch
    {
        PlateStyle.EuWhite => RenderEuropean(plate, new SKColor(245, 245, (byte)random.Next(232, 246)), random),
        PlateStyle.EuYellow => RenderEuropean(plate, new SKColor(247, (byte)random.Next(196, 214), 8), random),
        PlateStyle.CnBlue => RenderChinese(plate, blue: true, random),
        PlateStyle.CnGreen => RenderChinese(plate, blue: false, random),
        _ => throw new ArgumentOutOfRangeException(nameof(style)),
    };

    private SKBitmap RenderEuropean(string plate, SKColor background, Random random)
    {
        const int width = 520, height = 112, band = 44;
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        using var fill = new SKPaint { IsAntialias = true, Color = background };
        canvas.DrawRoundRect(new SKRect(0, 0, width, height), 8, 8, fill);

        using var bandPaint = new SKPaint { IsAntialias = true, Color = new SKColor(0, 51, 153) };
        canvas.Save();
        canvas.ClipRoundRect(new SKRoundRect(new SKRect(0, 0, width, height), 8, 8), antialias: true);
        canvas.DrawRect(new SKRect(0, 0, band, height), bandPaint);
        canvas.Restore();
        using var star = new SKPaint { IsAntialias = true, Color = new SKColor(255, 204, 0) };
        for (var i = 0; i < 12; i++)
        {
            var angle = i * Math.PI / 6;
            canvas.DrawCircle(band / 2f + 13 * (float)Math.Cos(angle), 32 + 13 * (float)Math.Sin(angle), 2.2f, star);
        }
        using var codeFont = new SKFont(fonts.Latin[0], 26);
        using var white = new SKPaint { IsAntialias = true, Color = SKColors.White };
        var code = CountryCodes[random.Next(CountryCodes.Length)];
        codeFont.ScaleX = code.Length > 1 ? 0.75f : 1f;
        canvas.DrawText(code, band / 2f, 98, SKTextAlign.Center, codeFont, white);

        using var border = new SKPaint { IsAntialias = true, Color = SKColors.Black, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
        canvas.DrawRoundRect(new SKRect(1.5f, 1.5f, width - 1.5f, height - 1.5f), 7, 7, border);

        var text = PlateNumbers.Display(plate, PlateStyle.EuWhite, random);
        var face = fonts.Latin[random.Next(fonts.Latin.Count)];
        using var ink = new SKPaint { IsAntialias = true, Color = new SKColor(15, 15, 15) };
        var capHeight = random.Next(68, 78);
        DrawFitted(canvas, text, face, ink, new SKRect(band + 10, 0, width - 10, height), capHeight, maxScaleX: 1.0f);
        return bitmap;
    }

    private SKBitmap RenderChinese(string plate, bool blue, Random random)
    {
        var width = blue ? 440 : 480;
        const int height = 140;
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        var rect = new SKRect(0, 0, width, height);
        SKColor inkColor;
        if (blue)
        {
            using var fill = new SKPaint { IsAntialias = true, Color = new SKColor((byte)random.Next(0, 30), (byte)random.Next(50, 80), (byte)random.Next(170, 220)) };
            canvas.DrawRoundRect(rect, 10, 10, fill);
            using var inset = new SKPaint { IsAntialias = true, Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
            canvas.DrawRoundRect(new SKRect(6, 6, width - 6, height - 6), 7, 7, inset);
            inkColor = new SKColor(250, 250, 250);
        }
        else
        {
            using var shader = SKShader.CreateLinearGradient(
                new SKPoint(0, 0), new SKPoint(0, height),
                [new SKColor(236, 250, 236), new SKColor((byte)random.Next(60, 110), (byte)random.Next(190, 220), (byte)random.Next(90, 130))],
                [0.15f, 1f], SKShaderTileMode.Clamp);
            using var fill = new SKPaint { IsAntialias = true, Shader = shader };
            canvas.DrawRoundRect(rect, 10, 10, fill);
            using var outline = new SKPaint { IsAntialias = true, Color = new SKColor(40, 40, 40), Style = SKPaintStyle.Stroke, StrokeWidth = 2 };
            canvas.DrawRoundRect(new SKRect(3, 3, width - 3, height - 3), 8, 8, outline);
            inkColor = new SKColor(10, 10, 10);
        }

        using var ink = new SKPaint { IsAntialias = true, Color = inkColor };
        var latin = fonts.Latin[random.Next(fonts.Latin.Count)];
        float charWidth = blue ? 45 : 43, pitch = blue ? 57 : 54, gap = blue ? 22 : 30, left = 15.5f, charHeight = 90;
        for (var i = 0; i < plate.Length; i++)
        {
            var x = left + i * pitch + (i >= 2 ? gap : 0);
            var face = i == 0 ? fonts.Cjk : latin;
            DrawFitted(canvas, plate[i].ToString(), face, ink, new SKRect(x, 25, x + charWidth, 25 + charHeight), charHeight, maxScaleX: 1.0f);
        }
        var dotX = left + (3 * pitch + charWidth + gap) / 2;
        canvas.DrawCircle(dotX, height / 2f, 4.5f, ink);
        return bitmap;
    }

    /// <summary>Draws text centred in a box: cap height as asked, squeezed horizontally when too wide.</summary>
    private static void DrawFitted(SKCanvas canvas, string text, SKTypeface face, SKPaint ink, SKRect box, float capHeight, float maxScaleX)
    {
        using var font = new SKFont(face, 100) { Edging = SKFontEdging.Antialias, Subpixel = true };
        font.MeasureText(text, out var bounds, ink);
        var glyphHeight = text.All(c => c < 128) ? -font.Metrics.CapHeight : bounds.Height;
        if (glyphHeight <= 0)
        {
            glyphHeight = bounds.Height;
        }
        font.Size = 100 * capHeight / glyphHeight;
        font.ScaleX = maxScaleX;
        font.MeasureText(text, out bounds, ink);
        if (bounds.Width > box.Width)
        {
            font.ScaleX = maxScaleX * box.Width / bounds.Width;
            font.MeasureText(text, out bounds, ink);
        }
        var x = box.MidX - bounds.MidX;
        var y = box.MidY - bounds.MidY;
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, ink);
    }
}
