using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OcppServer.Storage;

namespace OcppServer.Authorization.Biometrics;

/// <summary>
/// Encrypts biometric templates at rest with AES-256-GCM. The key comes from Biometrics:TemplateKey or is generated
/// on first start into the data folder, readable by the owner only. The template id and driver id are bound in as
/// associated data, so a ciphertext cannot be moved to another driver.
/// </summary>
public sealed class TemplateProtector
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    private const string KeyFileName = "biometric-template.key";

    private readonly byte[] _key;

    public TemplateProtector(IOptions<BiometricOptions> options, IOptions<StorageOptions> storage, ILogger<TemplateProtector> logger)
    {
        _key = string.IsNullOrWhiteSpace(options.Value.TemplateKey)
            ? LoadOrCreateKeyFile(Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), "keys"), logger)
            : Convert.FromBase64String(options.Value.TemplateKey);
        if (_key.Length != 32)
        {
            throw new InvalidOperationException("Biometrics:TemplateKey must be 32 bytes, base64 encoded");
        }
    }

    public (byte[] Nonce, byte[] Ciphertext, byte[] Tag) Encrypt(string templateId, string driverId, ReadOnlySpan<float> template)
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        ReadOnlySpan<byte> plaintext = MemoryMarshal.AsBytes(template);
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(templateId, driverId));
        return (nonce, ciphertext, tag);
    }

    public float[] Decrypt(string templateId, string driverId, byte[] nonce, byte[] ciphertext, byte[] tag)
    {
        float[] template = new float[ciphertext.Length / sizeof(float)];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(nonce, ciphertext, tag, MemoryMarshal.AsBytes(template.AsSpan()), AssociatedData(templateId, driverId));
        return template;
    }

    private static byte[] AssociatedData(string templateId, string driverId) => Encoding.UTF8.GetBytes($"{templateId}\n{driverId}");

    private static byte[] LoadOrCreateKeyFile(string directory, ILogger logger)
    {
        string path = Path.Combine(directory, KeyFileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        byte[] key = RandomNumberGenerator.GetBytes(32);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, fileOptions))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        logger.LogWarning("Generated a biometric template key at {Path}; back it up: templates cannot be read without it", path);
        return key;
    }
}
