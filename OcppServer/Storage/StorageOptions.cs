namespace OcppServer.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the SQLite database (and later images and keys); created on first start.</summary>
    public string DataDirectory { get; set; } = "./data";

    public string DatabaseFileName { get; set; } = "ocppauth.db";

    /// <summary>SQLite <c>synchronous</c> setting. NORMAL survives a process crash; FULL also survives power loss.</summary>
    public string Synchronous { get; set; } = "NORMAL";

    /// <summary>
    /// How often the write-ahead log is copied into the database file, off the write path. SQLite's automatic
    /// checkpoint would otherwise run inside a commit and hold every waiting writer for the copy and its fsync.
    /// </summary>
    public double CheckpointIntervalSeconds { get; set; } = 1;
}
