using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OcppServer.ChargePoints;

/// <summary>
/// Salted hashes of charge point passwords. An AuthorizationKey as the 1.6 security whitepaper has it (16 to 20 random
/// bytes, written as 32 to 40 hex characters) carries at least 128 bits of entropy: no offline search can reach it, so
/// one salted SHA-256 (<c>sha256$salt$hash</c>) is enough and a reconnect storm of thousands of chargers costs
/// microseconds each. Any other password (the legacy 8 to 64 characters, possibly chosen by a person) gets salted
/// PBKDF2-SHA256 (<c>pbkdf2-sha256$iterations$salt$hash</c>), which is slow on purpose.
/// </summary>
public static class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const string KeyScheme = "sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    public const int DefaultIterations = 100_000;

    public static string Hash(ReadOnlySpan<byte> password, int iterations = DefaultIterations)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>The hash to store for <paramref name="password"/>: the fast scheme for an AuthorizationKey, PBKDF2 otherwise.</summary>
    public static string HashForStorage(string password) =>
        IsAuthorizationKey(password) ? HashAuthorizationKey(Encoding.UTF8.GetBytes(password)) : Hash(Encoding.UTF8.GetBytes(password));

    /// <summary>The 1.6 security whitepaper's AuthorizationKey: 16 to 20 bytes, configured as 32 to 40 hex characters.</summary>
    public const int MinAuthorizationKeyHex = 32;

    public const int MaxAuthorizationKeyHex = 40;

    /// <summary>Whether <paramref name="password"/> is an AuthorizationKey: 32 to 40 hex characters (16 to 20 bytes).</summary>
    public static bool IsAuthorizationKey(string password) =>
        password.Length is >= MinAuthorizationKeyHex and <= MaxAuthorizationKeyHex && password.Length % 2 == 0 && password.All(char.IsAsciiHexDigit);

    /// <summary>Whether checking against <paramref name="storedHash"/> is slow on purpose (PBKDF2): worth a thread of its own.</summary>
    public static bool IsSlow(string storedHash) => storedHash.StartsWith(Scheme + "$", StringComparison.Ordinal);

    public static string HashAuthorizationKey(ReadOnlySpan<byte> key)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return string.Join('$', KeyScheme, Convert.ToBase64String(salt), Convert.ToBase64String(SaltedSha256(salt, key)));
    }

    /// <summary>Checks a password against a stored hash (of either scheme) in constant time (for a given hash).</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string storedHash)
    {
        string[] parts = storedHash.Split('$');
        if (parts.Length == 3 && parts[0] == KeyScheme)
        {
            return VerifyKey(password, parts[1], parts[2]);
        }

        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false; // an empty derived key would match every password
        }

        byte[] actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool VerifyKey(ReadOnlySpan<byte> password, string saltText, string hashText)
    {
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }

        return expected.Length == HashBytes && CryptographicOperations.FixedTimeEquals(SaltedSha256(salt, password), expected);
    }

    private static byte[] SaltedSha256(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> secret)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(salt);
        sha.AppendData(secret);
        return sha.GetHashAndReset();
    }
}
