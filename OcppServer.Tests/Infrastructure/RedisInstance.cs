using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// A private Redis server for the whole test run (Debian package <c>redis-server</c>): on a free loopback port, with
/// a folder of its own and no persistence (<c>--save "" --appendonly no</c>). Started on first use, stopped by
/// <see cref="TestServices"/> at the end of the run (or at process exit). Without the binary a test that asks for it is
/// ignored, with what to install.
/// </summary>
public sealed class RedisInstance
{
    private static readonly string[] Candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private static readonly Lazy<Task<RedisInstance>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process _process;
    private int _stopped;

    private RedisInstance(Process process, string directory, int port)
    {
        _process = process;
        DirectoryPath = directory;
        Port = port;
    }

    public string DirectoryPath { get; }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The shared server, started on the first call; ignores the calling test when Redis is not installed.</summary>
    public static Task<RedisInstance> GetAsync()
    {
        if (FindServer() is null)
        {
            Assert.Ignore(
                $"Redis is not installed (no {string.Join(" or ", Candidates)}): run scripts/setup-test-services.sh as root "
                + "(Debian: apt-get install redis-server) to run the Redis tests");
        }

        return Shared.Value;
    }

    /// <summary>Stops the shared server if it was started (end of the test run).</summary>
    internal static void StopShared()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            Shared.Value.Result.Stop();
        }
    }

    private static string? FindServer() => Candidates.FirstOrDefault(File.Exists);

    private static async Task<RedisInstance> StartAsync()
    {
        string server = FindServer()!;
        string directory = Path.Combine(Path.GetTempPath(), $"ocppauth-redis-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string? lastFailure = null;
        // A free port is taken from the system and released before Redis binds it: another process may take it first.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreeLoopbackPort();
            var process = Launch(server, directory, port);
            var instance = new RedisInstance(process, directory, port);
            if (await instance.WaitUntilReadyAsync())
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Stop();
                return instance;
            }

            lastFailure = await File.ReadAllTextAsync(Path.Combine(directory, "redis.log")).ConfigureAwait(false);
            instance.Stop(deleteDirectory: false);
        }

        Directory.Delete(directory, recursive: true);
        throw new InvalidOperationException($"redis-server did not start on a free loopback port; its log:\n{lastFailure}");
    }

    private static Process Launch(string server, string directory, int port)
    {
        var start = new ProcessStartInfo(server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", directory, "--logfile", Path.Combine(directory, "redis.log"),
                     "--daemonize", "no", "--protected-mode", "yes",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {server}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True once the server answers PING; false when it exited (e.g. the port was taken) or never answered.</summary>
    private async Task<bool> WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[64];
                int read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (IOException)
            {
            }

            await Task.Delay(50);
        }

        return false;
    }

    private void Stop(bool deleteDirectory = true)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        _process.Dispose();
        if (deleteDirectory)
        {
            try
            {
                Directory.Delete(DirectoryPath, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
