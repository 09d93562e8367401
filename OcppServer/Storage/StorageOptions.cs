namespace OcppServer.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Storage:PostgreSql</c>: the PostgreSQL server, for the PostgreSql engine.</summary>
    public PostgreSqlStorageOptions PostgreSql { get; set; } = new();

    /// <summary>Folder for the SQLite database (and later images and keys); created on first start.</summary>
    public string DataDirectory { get; set; } = "./data";

    public string DatabaseFileName { get; set; } = "ocppauth.db";

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
}
