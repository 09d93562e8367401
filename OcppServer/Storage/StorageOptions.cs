namespace OcppServer.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the SQLite database (and later images and keys); created on first start.</summary>
    public string DataDirectory { get; set; } = "./data";

    public string DatabaseFileName { get; set; } = "ocppauth.db";

    /// <summary>SQLite <c>synchronous</c> setting. NORMAL survives a process crash; FULL also survives power loss.</summary>
    public string Synchronous { get; set; } = "NORMAL";
}
