using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>Builds plate readers for tests (the model comes from ./models/ppocr, fetched by scripts/setup.sh).</summary>
internal static class VisionTestReader
{
    public static PlateReader Create(VisionOptions? options = null)
    {
        options ??= new VisionOptions();
        return new PlateReader(Options.Create(options), new PlateFormats(options.Formats), TimeProvider.System, NullLogger<PlateReader>.Instance);
    }

    /// <summary>The repository root: the folder above the test assembly that holds OcppAuth.sln.</summary>
    public static DirectoryInfo? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OcppAuth.sln")))
            {
                return dir;
            }
        }
        return null;
    }
}
