using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OcppServer.Storage;

/// <summary>
/// The SQLite database: readers get a pooled connection each, writers are serialised on one connection
/// (SQLite allows one writer at a time; queueing here is cheaper than SQLITE_BUSY retries).
/// Every write runs in a transaction that is committed before the call returns.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private static readonly string[] AllowedSynchronous = ["OFF", "NORMAL", "FULL", "EXTRA"];

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _synchronous;
    private SqliteConnection? _writer;

    static SqliteDatabase() => DapperTypeHandlers.Register();

    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        DataDirectory = Path.GetFullPath(storage.DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        DatabasePath = Path.Combine(DataDirectory, storage.DatabaseFileName);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _synchronous = storage.Synchronous.ToUpperInvariant();
        if (!AllowedSynchronous.Contains(_synchronous))
        {
            throw new InvalidOperationException($"Storage:Synchronous must be one of {string.Join(", ", AllowedSynchronous)}");
        }
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> query, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return await query(connection);
    }

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var connection = await GetWriterAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            T result = await work(connection, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async (c, t) =>
        {
            await work(c, t);
            return true;
        }, cancellationToken);

    private async Task<SqliteConnection> GetWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var writer = new SqliteConnection(ConnectionString);
        await writer.OpenAsync(cancellationToken);
        // journal_mode is persistent in the file; synchronous and foreign_keys are per connection.
        await writer.ExecuteAsync($"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON;");
        _writer = writer;
        return writer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _writeLock.Dispose();
    }
}
