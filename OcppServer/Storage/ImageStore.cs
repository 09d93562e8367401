using Microsoft.Extensions.Options;
using OcppServer.Authorization.PreVerification;

namespace OcppServer.Storage;

/// <summary>
/// Camera images under <c>{ImageDirectory or DataDirectory}/images/yyyy/MM/dd/{sha256}.{ext}</c>; paths in the
/// database are relative to that folder.
/// </summary>
public sealed class ImageStore(IOptions<StorageOptions> options) : ICaptureArchive
{
    private readonly string _dataDirectory = Path.GetFullPath(options.Value.ImageDirectory ?? options.Value.DataDirectory);

    private string Root => Path.Combine(_dataDirectory, "images");

    /// <summary>Writes the image (once per content) and returns its relative path.</summary>
    public async Task<string> SaveAsync(ReadOnlyMemory<byte> image, string sha256, string extension, DateTimeOffset at, CancellationToken cancellationToken)
    {
        string relative = Path.Combine("images", at.ToString("yyyy"), at.ToString("MM"), at.ToString("dd"), $"{sha256}.{extension}");
        string full = Path.Combine(_dataDirectory, relative);
        if (!File.Exists(full))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            string temporary = full + ".tmp" + Guid.NewGuid().ToString("N");
            await File.WriteAllBytesAsync(temporary, image.ToArray(), cancellationToken);
            File.Move(temporary, full, overwrite: true);
        }

        return relative;
    }

    /// <summary>The full path of a stored image, or null when it is gone (purged) or the path leaves the image folder.</summary>
    public string? Resolve(string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(_dataDirectory, relativePath));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }

    /// <summary>
    /// Deletes the day folders (<c>images/yyyy/MM/dd</c>) of days before <paramref name="day"/> with what is left in
    /// them, and returns how many files that was. Images are filed under the day they were received, which is the day
    /// their record was created, so once retention has purged the records of those days what remains there belongs to
    /// no record: the frames of a burst refused after its images were written (a passage consumed or closed meanwhile),
    /// or a write cut short. No request writes into a past day's folder, so nothing in use is deleted.
    /// </summary>
    public int DeleteDaysBefore(DateOnly day)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }
        int deleted = 0;
        foreach (var year in Directory.EnumerateDirectories(Root))
        {
            foreach (var month in Directory.EnumerateDirectories(year))
            {
                foreach (var folder in Directory.EnumerateDirectories(month))
                {
                    string name = $"{Path.GetFileName(year)}-{Path.GetFileName(month)}-{Path.GetFileName(folder)}";
                    if (DateOnly.TryParseExact(name, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                            System.Globalization.DateTimeStyles.None, out var date) && date < day)
                    {
                        deleted += Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
                        Directory.Delete(folder, recursive: true);
                    }
                }
                DeleteIfEmpty(month);
            }
            DeleteIfEmpty(year);
        }
        return deleted;
    }

    private static void DeleteIfEmpty(string folder)
    {
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }

    public void Delete(string relativePath)
    {
        if (Resolve(relativePath) is { } full)
        {
            File.Delete(full);
        }
    }
}
