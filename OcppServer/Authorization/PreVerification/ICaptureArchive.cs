using System.Security.Cryptography;

namespace OcppServer.Authorization.PreVerification;

/// <summary>Where camera images are kept for the operator (the record names them by a relative path).</summary>
public interface ICaptureArchive
{
    /// <summary>Keeps the image (once per content) and returns the path its record names it by.</summary>
    Task<string> SaveAsync(ReadOnlyMemory<byte> image, string sha256, string extension, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The lower-case hex SHA-256 of an image: how a replayed image is recognised.</summary>
    static string Sha256Hex(ReadOnlySpan<byte> image) => Convert.ToHexStringLower(SHA256.HashData(image));
}
