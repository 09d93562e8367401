using Microsoft.Extensions.Options;
using Npgsql;

namespace OcppServer.Storage;

/// <summary>The engine under the stores.</summary>
public enum StorageProvider
{
    /// <summary>One file under <see cref="StorageOptions.DataDirectory"/>: one node, nothing to install (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (<see cref="StorageOptions.PostgreSql"/>), which several nodes can share.</summary>
    PostgreSql,
}

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Storage:Provider</c>: Sqlite (default) or PostgreSql.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary><c>Storage:PostgreSql</c>: used when <see cref="Provider"/> is PostgreSql.</summary>
    public PostgreSqlStorageOptions PostgreSql { get; set; } = new();

    /// <summary>Folder for the SQLite database (and later images and keys); created on first start.</summary>
    public string DataDirectory { get; set; } = "./data";

    public string DatabaseFileName { get; set; } = "ocppauth.db";

    /// <summary>
    /// Where camera images are kept (in <c>images/yyyy/MM/dd/</c> below it); by default <see cref="DataDirectory"/>.
    /// With several nodes, a folder every node shares (e.g. an NFS mount): an image kept by one node is shown by any.
    /// </summary>
    public string? ImageDirectory { get; set; }

    /// <summary>SQLite <c>synchronous</c> setting. NORMAL survives a process crash; FULL also survives power loss.</summary>
    public string Synchronous { get; set; } = "NORMAL";

    /// <summary>
    /// How often the write-ahead log is copied into the database file, off the write path. SQLite's automatic
    /// checkpoint would otherwise run inside a commit and hold every waiting writer for the copy and its fsync.
    /// After each checkpoint the writer copies what was committed meanwhile and starts the log over, holding writes
    /// for that copy: the shorter the interval, the less there is to copy. At 400 journeys/s a 1 s interval held
    /// writes 7-16 ms once a second (p99 4.4-10 ms); 0.25 s holds them briefly enough for p99 ~3.5 ms.
    /// </summary>
    public double CheckpointIntervalSeconds { get; set; } = 0.25;

    /// <summary>A group commit that holds the writer longer than this is logged as a warning (every write waits behind it).</summary>
    public double SlowCommitWarningMilliseconds { get; set; } = 100;
}

public sealed class PostgreSqlStorageOptions
{
    /// <summary>
    /// <c>Storage:PostgreSql:ConnectionString</c>, an Npgsql connection string, e.g.
    /// <c>Host=/var/run/postgresql;Database=ocppauth;Username=ocppauth</c> or <c>Host=127.0.0.1;Port=5432;...</c>.
    /// Holds a password when the server asks for one: set it from the environment or a secret store, not in a file in git.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// <c>Storage:PostgreSql:Workers</c>: how many statements this node runs against PostgreSQL at once. Each worker is a
    /// dedicated thread with a pooled connection; the stores' synchronous statements block there, never on the thread
    /// pool that serves the sockets. Every node opens up to this many connections (plus one while it migrates).
    /// </summary>
    public int Workers { get; set; } = 32;
}

/// <summary>Checks the storage choice at start, so that a misconfigured node refuses to start instead of failing on its first write.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider must be one of {string.Join(", ", Enum.GetNames<StorageProvider>())} (was {(int)options.Provider})");
        }

        if (options.Provider != StorageProvider.PostgreSql)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.PostgreSql.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                "Storage:Provider is PostgreSql but Storage:PostgreSql:ConnectionString is not set "
                + "(an Npgsql connection string, e.g. Host=/var/run/postgresql;Database=ocppauth;Username=ocppauth)");
        }

        if (options.PostgreSql.Workers is < 1 or > 1024)
        {
            return ValidateOptionsResult.Fail($"Storage:PostgreSql:Workers must be between 1 and 1024 (was {options.PostgreSql.Workers})");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.PostgreSql.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The builder's message names the keyword at fault, never the password.
            return ValidateOptionsResult.Fail($"Storage:PostgreSql:ConnectionString is not a valid Npgsql connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
