using System.Globalization;

namespace OcppServer.Ocpp.Connections;

/// <summary>
/// How many charge point sockets the server accepts. Past the process's open-files limit the runtime cannot create
/// sockets (or even files for SQLite), so by default the limit stays a margin below it; extra handshakes get 503.
/// </summary>
public static class ConnectionLimit
{
    private const int ReservedFileDescriptors = 256;

    public static int Resolve(int configured)
    {
        if (configured > 0)
        {
            return configured;
        }

        long? openFiles = ReadOpenFilesLimit();
        return openFiles is null ? 100_000 : (int)Math.Clamp(openFiles.Value - ReservedFileDescriptors, 64, 1_000_000);
    }

    /// <summary>The soft "Max open files" of this process (Linux), or null when it cannot be read.</summary>
    private static long? ReadOpenFilesLimit()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string[]? parts = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: > 0 } && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long soft) ? soft : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
