using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OcppServer.Storage;

/// <summary>
/// The SQLite database. A read runs on an open read connection of its own, taken from a small set kept between
/// queries. Writes go through one writer connection (SQLite allows one writer at a time) with group commit: the writes
/// queued while a transaction commits run together in the next one, each inside its own savepoint when there are
/// several, so a failing write rolls back alone. A write's task completes only after its transaction is committed. A
/// write that finds nobody committing commits on its caller's thread (no hand-off to another thread and back, which
/// costs more than a small commit on few cores); writes that queued up meanwhile are committed by a background task.
/// The write-ahead log is checkpointed by a background loop on its own connection, so a commit never waits for a
/// checkpoint; after each one the writer copies the few pages committed meanwhile, so that its next transaction starts
/// the log over (under steady writes SQLite would otherwise never find the log fully copied and let it grow forever). Every connection keeps its prepared statements (<see cref="StatementCachingConnection"/>).
/// </summary>
public sealed class SqliteDatabase : IRelationalDatabase, IAsyncDisposable
{
    /// <summary>The engine's name in metrics.</summary>
    public const string Engine = "sqlite";

    private const int MaxBatch = 256;
    /// <summary>A log that grew past this during a burst is cut back to it when it starts over.</summary>
    private const long LogSizeLimitBytes = 64L * 1024 * 1024;
    private static readonly string[] AllowedSynchronous = ["OFF", "NORMAL", "FULL", "EXTRA"];

    private readonly Lock _queueLock = new();
    private readonly Queue<PendingWrite> _queued = new();
    // Owned by whoever commits (_committing): the caller that found nobody committing, then the background drain.
    private readonly List<PendingWrite> _batch = new(MaxBatch);
    private readonly List<(PendingWrite Write, object? Result)> _done = new(MaxBatch);
    private bool _committing;
    private bool _closed;
    private int _logRestartDue;
    private int _disposed;
    // Commits so far, and how many the background loop had seen when it last found the whole log copied: a commit that
    // lands while the loop is between its checkpoint and setting _logRestartDue must not be left in the log.
    private long _commits;
    private long _commitsWhenCopied = -1;
    private readonly string _synchronous;
    private readonly Task _checkpointLoop;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _checkpointInterval;
    // Few readers, each reused by the same thread where possible (ConcurrentBag prefers the caller's own items):
    // a commit makes every other connection's page cache stale, so the fewer readers, the more of the pages a
    // query needs are still in a cache that one read already refreshed.
    private readonly ConcurrentBag<StatementCachingConnection> _idleReaders = [];
    private readonly int _maxIdleReaders = Math.Max(2, Environment.ProcessorCount * 2);
    private StatementCachingConnection? _writer;
    private GroupTransaction? _groupTransaction;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly TimeSpan _slowCommit;
    private readonly IStorageTelemetry? _telemetry;

    static SqliteDatabase() => DapperTypeHandlers.Register();

    public SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase>? logger = null, IStorageTelemetry? telemetry = null)
    {
        var storage = options.Value;
        _logger = logger ?? NullLogger<SqliteDatabase>.Instance;
        _telemetry = telemetry;
        _slowCommit = TimeSpan.FromMilliseconds(storage.SlowCommitWarningMilliseconds);
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

        _checkpointInterval = TimeSpan.FromSeconds(storage.CheckpointIntervalSeconds);
        if (_checkpointInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Storage:CheckpointIntervalSeconds must be more than 0");
        }

        _checkpointLoop = Task.Run(CheckpointLoopAsync);
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    /// <summary>Registry rows read on every decision; the registry repositories keep it in step with their writes.</summary>
    public RegistryCache Registry { get; } = new();

    // SQLite has no asynchronous I/O: Microsoft.Data.Sqlite runs its *Async methods synchronously, with the
    // overhead of the async machinery on top (a Dapper query took 58 µs async, 28 µs sync). Queries therefore
    // run synchronously here; callers still get a Task because writes wait for their group commit.

    /// <summary>Runs a query on an open read connection of its own.</summary>
    public Task<T> ReadAsync<T>(Func<DbConnection, T> query, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        StatementCachingConnection? connection = null;
        try
        {
            connection = RentReader();
            return Task.FromResult(query(connection));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
        finally
        {
            if (connection is not null)
            {
                ReturnReader(connection);
            }
        }
    }

    // Readers stay open between queries: opening a pooled SqliteConnection per query cost ~25 µs, as much as the query.
    private StatementCachingConnection RentReader()
    {
        if (_idleReaders.TryTake(out var idle))
        {
            return idle;
        }

        var connection = new StatementCachingConnection(new SqliteConnection(ConnectionString));
        connection.Open();
        return connection;
    }

    private void ReturnReader(StatementCachingConnection connection)
    {
        if (_idleReaders.Count < _maxIdleReaders && connection.State == System.Data.ConnectionState.Open)
        {
            _idleReaders.Add(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
    public string ForEngine(string sql) => sql;

    public bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

    /// <summary>Queues a write for the next group commit; completes once the transaction holding it is committed.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken) =>
        (T)(await EnqueueAsync(new PendingWrite((c, t) => work(c, t), cancellationToken)))!;

    private Task<object?> EnqueueAsync(PendingWrite pending)
    {
        bool lead;
        lock (_queueLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queued.Enqueue(pending);
            lead = !_committing;
            _committing = true;
        }

        if (lead)
        {
            // Nobody was committing, so the queue held only this write: it commits here and now.
            CommitNextBatch();
            if (StillQueued())
            {
                _ = Task.Run(DrainQueued);
            }
        }

        return pending.Completion.Task;
    }

    /// <summary>A write of one statement (or a batch) in the next group commit, like any other write.</summary>
    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
        WriteAsync((c, t) => c.Execute(sql, parameters, t), cancellationToken);

    public Task<T> ExecuteScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
        WriteAsync((c, t) => c.ExecuteScalar<T>(sql, parameters, t)!, cancellationToken);

    public Task WriteAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync((c, t) =>
        {
            work(c, t);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> alone in a transaction of its own with foreign key enforcement off, for a migration
    /// that rebuilds tables (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes":
    /// a parent table is dropped and its new copy renamed while its children still reference it). PRAGMA foreign_keys
    /// is a no-op inside a transaction, so it is turned off before BEGIN; before COMMIT, PRAGMA foreign_key_check must
    /// find no violation, or the transaction is rolled back and the task fails. Foreign keys are on again afterwards
    /// whatever happened. Queued like any write: the writes queued before it commit first, those after it next.
    /// </summary>
    internal async Task WriteWithoutForeignKeysAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite((c, t) =>
        {
            work(c, t);
            return true;
        }, cancellationToken, foreignKeysOff: true);
        await EnqueueAsync(pending);
    }

    private void DrainQueued()
    {
        while (CommitNextBatch())
        {
        }
    }

    /// <summary>Commits up to <see cref="MaxBatch"/> queued writes; false (and nobody commits any more) when none was queued.</summary>
    private bool CommitNextBatch()
    {
        lock (_queueLock)
        {
            while (_batch.Count < MaxBatch && _queued.TryPeek(out var write))
            {
                if (write.ForeignKeysOff && _batch.Count > 0)
                {
                    break; // it runs alone, in the next batch
                }

                _queued.Dequeue();
                if (write.CancellationToken.IsCancellationRequested)
                {
                    write.Completion.TrySetCanceled(write.CancellationToken);
                }
                else
                {
                    _batch.Add(write);
                    if (write.ForeignKeysOff)
                    {
                        break;
                    }
                }
            }

            if (_batch.Count == 0)
            {
                _committing = false;
                return false;
            }
        }

        try
        {
            RunBatch(_batch, _done);
        }
        finally
        {
            _batch.Clear();
            _done.Clear();
        }

        return true;
    }

    private bool StillQueued()
    {
        lock (_queueLock)
        {
            _committing = _queued.Count > 0;
            return _committing;
        }
    }

    private void RunBatch(List<PendingWrite> batch, List<(PendingWrite Write, object? Result)> done)
    {
        // BEGIN, COMMIT and the savepoints run as cached statements: SqliteTransaction compiles each of them anew.
        StatementCachingConnection? connection = null;
        bool open = false;
        bool foreignKeysOff = batch is [{ ForeignKeysOff: true }];
        try
        {
            connection = GetWriter();
            if (foreignKeysOff)
            {
                connection.Execute("PRAGMA foreign_keys=OFF");
            }

            long started = Stopwatch.GetTimestamp();
            TimeSpan restartCopy = TimeSpan.Zero;
            if (Interlocked.Exchange(ref _logRestartDue, 0) == 1)
            {
                // No write can come between this copy and the BEGIN below, so that transaction finds the whole log
                // copied and starts it over. Only what was committed since the background checkpoint is left to copy,
                // but the copy syncs the log and the database file, and every write queued behind it waits: measured
                // 8-18 ms at 350 journeys/s with a checkpoint every second, hence the shorter default interval.
                if (CheckpointPassive(connection).Busy)
                {
                    Volatile.Write(ref _logRestartDue, 1); // the background loop was checkpointing: at the next commit
                }

                restartCopy = Stopwatch.GetElapsedTime(started);
            }

            connection.Execute("BEGIN IMMEDIATE");
            open = true;
            // A savepoint per write lets a failing write roll back alone; a batch of one needs none.
            bool savepoints = batch.Count > 1;
            foreach (var write in batch)
            {
                if (savepoints)
                {
                    connection.Execute("SAVEPOINT w");
                }

                try
                {
                    done.Add((write, write.Work(connection, _groupTransaction!)));
                    if (savepoints)
                    {
                        connection.Execute("RELEASE w");
                    }
                }
                catch (Exception ex) when (savepoints)
                {
                    connection.Execute("ROLLBACK TO w");
                    connection.Execute("RELEASE w");
                    write.Completion.TrySetException(ex);
                }
            }

            if (foreignKeysOff)
            {
                ThrowOnForeignKeyViolation(connection);
            }

            long committing = Stopwatch.GetTimestamp();
            connection.Execute("COMMIT");
            open = false;
            Interlocked.Increment(ref _commits);
            var held = Stopwatch.GetElapsedTime(started);
            _telemetry?.Committed(Engine, held);
            if (held > _slowCommit)
            {
                _logger.LogWarning(
                    "A group commit of {Writes} writes held the writer {HeldMs:F0} ms (copy before the log restart {CopyMs:F0} ms, COMMIT {CommitMs:F0} ms)",
                    batch.Count, held.TotalMilliseconds, restartCopy.TotalMilliseconds, Stopwatch.GetElapsedTime(committing).TotalMilliseconds);
            }
        }
        catch (Exception ex)
        {
            // The write of a batch of one failed, or the transaction itself did (e.g. disk full): nothing was committed.
            if (open)
            {
                RollBack(connection!);
            }

            foreach (var write in batch)
            {
                write.Completion.TrySetException(ex);
            }

            return;
        }
        finally
        {
            if (foreignKeysOff && connection is not null)
            {
                RestoreForeignKeys(connection);
            }
        }

        foreach (var (write, result) in done)
        {
            write.Completion.TrySetResult(result);
        }
    }

    private void RestoreForeignKeys(StatementCachingConnection connection)
    {
        try
        {
            connection.Execute("PRAGMA foreign_keys=ON");
        }
        catch (SqliteException ex)
        {
            // Never leave a writer without foreign keys: the next write opens a new one (GetWriter turns them on).
            _logger.LogError(ex, "Could not turn foreign keys on again: the writer connection is replaced");
            _writer = null;
            _groupTransaction = null;
            connection.Dispose();
        }
    }

    private static void ThrowOnForeignKeyViolation(DbConnection connection)
    {
        var violations = connection.Query<(string Table, long? RowId, string Parent, long ForeignKey)>("PRAGMA foreign_key_check").AsList();
        if (violations.Count > 0)
        {
            throw new InvalidOperationException(
                $"{violations.Count} foreign key violation(s), nothing committed: "
                + string.Join("; ", violations.Take(10).Select(v => $"{v.Table} row {v.RowId} references a missing {v.Parent} row")));
        }
    }

    private static void RollBack(StatementCachingConnection connection)
    {
        try
        {
            connection.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite already rolled the transaction back itself (e.g. after SQLITE_FULL).
        }
    }

    private StatementCachingConnection GetWriter()
    {
        if (_writer is not null)
        {
            return _writer;
        }

        var writer = new StatementCachingConnection(new SqliteConnection(ConnectionString));
        writer.Open();
        // journal_mode is persistent in the file; synchronous and foreign_keys are per connection.
        // The values are checked constants (AllowedSynchronous), not input.
        writer.Execute($"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={LogSizeLimitBytes};");
        _groupTransaction = new GroupTransaction(writer);
        _writer = writer;
        return writer;
    }

    /// <summary>
    /// Copies committed pages from the write-ahead log into the database file (PASSIVE: never blocks the writer or
    /// readers); once it has copied all it saw, the writer is asked to copy the rest and start the log over.
    /// </summary>
    private async Task CheckpointLoopAsync()
    {
        try
        {
            await using var connection = new SqliteConnection(ConnectionString);
            // Real time on purpose: a maintenance cadence, not a time the domain reasons about (tests fake that clock).
            using var timer = new PeriodicTimer(_checkpointInterval);
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                long commits = Interlocked.Read(ref _commits);
                if (_writer is null || (Volatile.Read(ref _logRestartDue) == 1 && commits == _commitsWhenCopied))
                {
                    // Nothing written yet (and the file may not be in WAL mode yet), or nothing since the last copy.
                    continue;
                }

                if (connection.State != System.Data.ConnectionState.Open)
                {
                    connection.Open();
                }

                var result = CheckpointPassive(connection);
                if (!result.Busy && result.LogFrames > 0 && result.CopiedFrames == result.LogFrames)
                {
                    _commitsWhenCopied = commits;
                    Volatile.Write(ref _logRestartDue, 1);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private static CheckpointResult CheckpointPassive(DbConnection connection)
    {
        var (busy, logFrames, copiedFrames) = connection.QuerySingle<(long, long, long)>("PRAGMA wal_checkpoint(PASSIVE)");
        return new CheckpointResult(busy != 0, logFrames, copiedFrames);
    }

    /// <summary>The row of <c>PRAGMA wal_checkpoint</c>: busy when another checkpoint ran; frames in the log and copied.</summary>
    private readonly record struct CheckpointResult(bool Busy, long LogFrames, long CopiedFrames);

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, the container disposes it twice: only the first call closes it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        while (true)
        {
            lock (_queueLock)
            {
                _closed = true;
                if (!_committing)
                {
                    break;
                }
            }

            await Task.Delay(1); // the last queued writes are being committed
        }

        await _stopping.CancelAsync();
        await _checkpointLoop;
        _stopping.Dispose();
        while (_idleReaders.TryTake(out var reader))
        {
            await reader.DisposeAsync();
        }

        if (_writer is not null)
        {
            // Leave a small file behind: fold the log into the database before closing.
            _writer.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
            await _writer.DisposeAsync();
        }
    }

    private sealed class PendingWrite(
        Func<DbConnection, DbTransaction, object?> work, CancellationToken cancellationToken, bool foreignKeysOff = false)
    {
        public Func<DbConnection, DbTransaction, object?> Work { get; } = work;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Runs alone, with foreign key enforcement off (<see cref="WriteWithoutForeignKeysAsync"/>).</summary>
        public bool ForeignKeysOff { get; } = foreignKeysOff;

        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The transaction a group commit holds open; writes pass it to their commands but never end it themselves.</summary>
    private sealed class GroupTransaction(DbConnection connection) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => IsolationLevel.Serializable;

        protected override DbConnection DbConnection => connection;

        public override void Commit() => throw new InvalidOperationException("A write is committed by its group commit");

        public override void Rollback() => throw new InvalidOperationException("A write rolls back by throwing");
    }
}
