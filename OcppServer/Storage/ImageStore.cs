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

    public void Delete(string relativePath)
    {
        if (Resolve(relativePath) is { } full)
        {
            File.Delete(full);
        }
    }
}
