using OcppServer.Vision;

namespace OcppServer.Tests.Vision;

/// <summary>OpenCV's system libraries are checked on disk at start-up instead of being loaded.</summary>
public sealed class NativeDependenciesTests
{
    [Test]
    public void The_installed_machine_has_what_OpenCV_links() =>
        Assert.DoesNotThrow(NativeDependencies.EnsurePresent, "scripts/setup.sh installs libgtk-3-0");

    [Test]
    public void A_library_missing_from_every_folder_is_reported_with_its_package()
    {
        var folder = Directory.CreateTempSubdirectory("ocppauth-libs-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "libpresent.so.1"), string.Empty);
            var missing = NativeDependencies.FindMissing(
                [("libpresent.so.1", "present"), ("libabsent.so.1", "absent-pkg")], [folder.FullName]);
            Assert.That(missing, Is.EqualTo(new[] { ("libabsent.so.1", "absent-pkg") }));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
