using System.Diagnostics;
using System.Text;
using Npgsql;

namespace OcppServer.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster for the whole test run, from the Debian package <c>postgresql</c>'s binaries
/// (<c>/usr/lib/postgresql/NN/bin</c>): initdb in a folder of its own under the temp folder, listening only on a Unix
/// socket in that folder (no TCP port, so nothing to collide with the package's own cluster or another run), trust
/// authentication, one database per test fixture (<see cref="CreateDatabaseAsync"/>). Started on first use, stopped
/// and deleted by <see cref="TestServices"/> at the end of the run (or at process exit). PostgreSQL refuses to run as
/// root: as root (CI) the server runs as the package's <c>postgres</c> user through <c>runuser</c>, in a folder it owns.
/// Without the binaries a test that asks for the instance is ignored, with what to install.
/// Durability is off (fsync, full_page_writes): a test run never outlives its cluster.
/// </summary>
public sealed class PostgreSqlInstance
{
    private const string PackageRoot = "/usr/lib/postgresql";
    private const int Port = 5432; // names the socket file in our own folder; nothing listens on TCP

    private static readonly Lazy<Task<PostgreSqlInstance>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private int _databases;
    private int _stopped;

    private PostgreSqlInstance(string directory, string binDirectory, bool asPostgresUser)
    {
        DirectoryPath = directory;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = directory,
            Port = Port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }

    /// <summary>The cluster's folder: its data directory (<c>data</c>), its socket and its log (<c>postgres.log</c>).</summary>
    public string DirectoryPath { get; }

    /// <summary>The superuser on the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The shared cluster, started on the first call; ignores the calling test when PostgreSQL is not installed.</summary>
    public static Task<PostgreSqlInstance> GetAsync()
    {
        if (FindBinDirectory() is null)
        {
            Assert.Ignore(
                $"PostgreSQL is not installed (no {PackageRoot}/NN/bin/initdb): run scripts/setup-test-services.sh as root "
                + "(Debian: apt-get install postgresql) to run the PostgreSQL tests");
        }

        return Shared.Value;
    }

    /// <summary>Stops the shared cluster if it was started (end of the test run).</summary>
    internal static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.StopAsync();
        }
    }

    /// <summary>Creates an empty database of its own and returns its connection string (pooled).</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        // The name is made here, not input: CREATE DATABASE takes no parameters.
        string name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..12]}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    private static string? FindBinDirectory() =>
        Directory.Exists(PackageRoot)
            ? Directory.EnumerateDirectories(PackageRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out int v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "initdb")) && File.Exists(Path.Combine(d.Directory, "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Directory)
                .FirstOrDefault()
            : null;

    private static async Task<PostgreSqlInstance> StartAsync()
    {
        string binDirectory = FindBinDirectory()!;
        bool asPostgresUser = Environment.IsPrivilegedProcess;
        string directory = Path.Combine(Path.GetTempPath(), $"ocppauth-pg-{Guid.NewGuid():N}");
        if (asPostgresUser)
        {
            // Made by the postgres user itself, so that it owns the folder (initdb and the server refuse anything else).
            await RunAsync("runuser", ["-u", "postgres", "--", "mkdir", "-m", "700", directory], "create the cluster folder as the postgres user "
                + "(the Debian package postgresql creates that user; runuser is in util-linux)");
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        var instance = new PostgreSqlInstance(directory, binDirectory, asPostgresUser);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.StopAsync().GetAwaiter().GetResult();
        try
        {
            await instance.InitAndStartAsync();
        }
        catch
        {
            await instance.StopAsync();
            throw;
        }

        return instance;
    }

    private async Task InitAndStartAsync()
    {
        string data = Path.Combine(DirectoryPath, "data");
        await RunServerToolAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);
        // Appended by the test process (root may write the postgres user's file; the owner stays postgres).
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = ''
            unix_socket_directories = '{DirectoryPath}'
            port = {Port}
            max_connections = 200
            shared_buffers = '32MB'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            # A test provokes a deadlock on purpose: found sooner than the default 1 s.
            deadlock_timeout = '100ms'
            """);
        await RunServerToolAsync("pg_ctl", ["-D", data, "-l", Path.Combine(DirectoryPath, "postgres.log"), "-w", "-t", "120", "start"]);
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            string data = Path.Combine(DirectoryPath, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                await RunServerToolAsync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"]);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(DirectoryPath, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; nothing runs from it any more.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private Task RunServerToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        string path = Path.Combine(_binDirectory, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], $"run {tool} as the postgres user")
            : RunAsync(path, arguments, $"run {tool}");
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string purpose)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName} to {purpose}");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} did not finish in 3 minutes (to {purpose})");
        }

        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Could not {purpose}: {fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }
    }
}
