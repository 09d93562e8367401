namespace OcppServer.Vision;

/// <summary>
/// The shared libraries OpenCV's native build links that are not part of it. They are looked for on disk at start-up
/// (fail fast, with the package to install) rather than loaded: loading OpenCV and GTK costs ~30 MB of resident
/// memory, which a server whose cameras are idle should not carry.
/// </summary>
internal static class NativeDependencies
{
    private static readonly (string Library, string DebianPackage)[] Required = [("libgtk-3.so.0", "libgtk-3-0")];

    private static readonly string[] SystemDirectories =
        ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib"];

    public static void EnsurePresent()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var directories = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories)
            .ToList();
        var missing = FindMissing(Required, directories);
        if (missing.Count > 0)
        {
            throw new DllNotFoundException(
                $"The plate reader's OpenCV library needs {string.Join(", ", missing.Select(m => m.Library))}: install the Debian package " +
                $"{string.Join(" ", missing.Select(m => m.DebianPackage))} (run '{ModelFiles.SetupCommand}' from the repository root).");
        }
    }

    internal static IReadOnlyList<(string Library, string DebianPackage)> FindMissing(
        IEnumerable<(string Library, string DebianPackage)> required, IReadOnlyList<string> directories) =>
        required.Where(r => !directories.Any(d => File.Exists(Path.Combine(d, r.Library)))).ToList();
}
