using System.Diagnostics;
using SkiaSharp;

namespace ChargePointSimulator.Camera;

/// <summary>
/// The fonts the scene generator draws plates with, loaded from the Debian font packages that
/// <c>scripts/setup.sh</c> installs (fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation2, fonts-wqy-zenhei).
/// </summary>
public sealed class PlateFonts : IDisposable
{
    private const string SetupHint = "run scripts/setup.sh (it installs fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation2 and fonts-wqy-zenhei)";

    private static readonly string[] LatinFontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf",
    ];

    private static readonly string[] LatinFallbackPatterns = ["DejaVu Sans:style=Bold", "Liberation Sans:style=Bold"];

    private const string CjkFontFile = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

    private PlateFonts(IReadOnlyList<SKTypeface> latin, SKTypeface cjk)
    {
        Latin = latin;
        Cjk = cjk;
    }

    /// <summary>Bold Latin faces (several families, so generated plates differ in letter shapes).</summary>
    public IReadOnlyList<SKTypeface> Latin { get; }

    /// <summary>A face with Chinese characters, for the province character of Chinese plates.</summary>
    public SKTypeface Cjk { get; }

    /// <summary>Loads the fonts; throws <see cref="FileNotFoundException"/> naming the setup command when they are missing.</summary>
    public static PlateFonts Load()
    {
        var latinFiles = LatinFontFiles.Where(File.Exists).ToList();
        if (latinFiles.Count == 0)
        {
            latinFiles.AddRange(LatinFallbackPatterns.Select(p => FcMatch(p)).OfType<string>().Distinct());
        }
        if (latinFiles.Count == 0)
        {
            throw new FileNotFoundException($"No bold Latin font found for the plate generator; {SetupHint}.");
        }
        var cjkFile = File.Exists(CjkFontFile) ? CjkFontFile : FcMatch(":lang=zh-cn", requireCjk: true);
        if (cjkFile is null)
        {
            throw new FileNotFoundException($"No Chinese font found for the plate generator; {SetupHint}.");
        }

        var latin = latinFiles.Select(f => SKTypeface.FromFile(f) ?? throw new FileNotFoundException($"Cannot load font {f}; {SetupHint}.", f)).ToList();
        var cjk = SKTypeface.FromFile(cjkFile) ?? throw new FileNotFoundException($"Cannot load font {cjkFile}; {SetupHint}.", cjkFile);
        if (cjk.ContainsGlyph('京') is false)
        {
            throw new FileNotFoundException($"Font {cjkFile} has no Chinese characters; {SetupHint}.", cjkFile);
        }
        return new PlateFonts(latin, cjk);
    }

    private static string? FcMatch(string pattern, bool requireCjk = false)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("fc-match", ["-f", "%{file}", pattern])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }
            var path = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(5000);
            if (path.Length == 0 || !File.Exists(path))
            {
                return null;
            }
            if (requireCjk)
            {
                using var face = SKTypeface.FromFile(path);
                return face?.ContainsGlyph('京') == true ? path : null;
            }
            return path;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // fc-match is not installed
        }
    }

    public void Dispose()
    {
        foreach (var face in Latin)
        {
            face.Dispose();
        }
        Cjk.Dispose();
    }
}
