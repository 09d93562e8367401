using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace OcppServer.Storage.PostgreSql;

/// <summary>
/// A PostgreSQL database, shared by every node that points at it. Connections come from an <see cref="NpgsqlDataSource"/>
/// (pooled). A read runs its query on a pooled connection outside any transaction. A write opens a connection, begins a
/// READ COMMITTED transaction, runs its delegate and commits; its task completes only after the COMMIT has returned,
/// and a delegate that throws rolls the transaction back and faults the task with its exception. Writes of several
/// connections (and nodes) run concurrently: the stores keep their operations atomic with single statements and
/// conditional updates checked by row count, never a read then a write. A transaction that PostgreSQL rolls back on a
/// serialization failure (40001) or a deadlock (40P01) is run again from the start, a bounded number of times, so a
/// write's delegate must be safe to rerun (see <see cref="IRelationalDatabase"/>).
/// <para>
/// The stores' delegates are synchronous (the same ones run inside SQLite's group commit), so on PostgreSQL they block
/// on the network. They run on <see cref="PostgreSqlStorageOptions.Workers"/> dedicated threads, each holding a pooled
/// connection while it works, and never on the thread pool: blocked pool threads starve the sockets' work until the
/// pool injects more threads (measured: at 50 journeys/s, Authorize p50 1.7 s with the delegates on pool threads),
/// and a socket engine's event thread (<see cref="TransportOptions.InlineIo"/>) blocked on a PostgreSQL socket of its own
/// engine would wait for ever. The workers also bound how many connections a node opens.
/// </para>
/// </summary>
public sealed partial class PostgreSqlDatabase : IRelationalDatabase, IAsyncDisposable
{
    /// <summary>How many times a write is run again after a serialization failure or a deadlock, after its first run.</summary>
    public const int MaxWriteRetries = 3;

    /// <summary>The engine's name in metrics.</summary>
    public const string Engine = "postgresql";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger<PostgreSqlDatabase> _logger;
    private readonly TimeSpan _slowCommit;
    private readonly WorkQueue _queue = new();
    private readonly Thread[] _workers;
    private readonly IStorageTelemetry? _telemetry;
    private int _disposed;

    static PostgreSqlDatabase() => DapperTypeHandlers.Register();

    public PostgreSqlDatabase(IOptions<StorageOptions> options, ILogger<PostgreSqlDatabase>? logger = null, IStorageTelemetry? telemetry = null)
    {
        var storage = options.Value;
        _logger = logger ?? NullLogger<PostgreSqlDatabase>.Instance;
        _telemetry = telemetry;
        _slowCommit = TimeSpan.FromMilliseconds(storage.SlowCommitWarningMilliseconds);
        string? connectionString = storage.PostgreSql.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Storage:PostgreSql:ConnectionString is required for the PostgreSql storage provider");
        }

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Nothing here changes a session's state (no SET, no temporary tables, no prepared statements of our own, advisory
        // locks only transaction-scoped), so a connection returned to the pool needs no DISCARD ALL before its next use:
        // that reset ran once per read and per write (measured: 31 per journey, about 3.5 % of PostgreSQL's statement time).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // The stores run a few dozen distinct statements over and over: prepared once per connection, PostgreSQL no
        // longer parses and plans them on every call. A connection string that sets Max Auto Prepare keeps its value.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 128;
        }
        _dataSource = builder.Build();

        // Real time on purpose: a back-off between attempts is not a time the domain reasons about (tests fake that clock,
        // and a faked one would hold a retried write for ever).
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PostgresException>(IsTransient),
                MaxRetryAttempts = MaxWriteRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromMilliseconds(500),
                OnRetry = arguments =>
                {
                    _logger.LogWarning(
                        "A write was rolled back on {SqlState} ({Reason}) and is run again (retry {Retry} of {MaxRetries})",
                        (arguments.Outcome.Exception as PostgresException)?.SqlState,
                        (arguments.Outcome.Exception as PostgresException)?.MessageText,
                        arguments.AttemptNumber + 1,
                        MaxWriteRetries);
                    return default;
                },
            })
            .Build();

        _workers = new Thread[Math.Max(1, storage.PostgreSql.Workers)];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(RunWorker) { IsBackground = true, Name = $"PostgreSQL worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>Registry rows read on every decision; the registry stores keep it in step with their writes (on this node).</summary>
    public RegistryCache Registry { get; } = new();

    /// <summary>Whether PostgreSQL rolled the transaction back for a reason that running it again can cure.</summary>
    public static bool IsTransient(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    public string ForEngine(string sql) => ListParameter().Replace(sql, "= ANY(@$1)");

    [System.Text.RegularExpressions.GeneratedRegex(@"\bIN @(\w+)")]
    private static partial System.Text.RegularExpressions.Regex ListParameter();

    public bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>Runs a query on a pooled connection of its own, outside any transaction.</summary>
    public Task<T> ReadAsync<T>(Func<DbConnection, T> query, CancellationToken cancellationToken) =>
        Enqueue(new WithoutTransaction<T>(query, cancellationToken));

    /// <summary>Runs <paramref name="work"/> in a transaction of its own; completes once that transaction is committed.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            static (state, token) => new ValueTask<T>(state.Database.Enqueue(new Write<T>(state.Work, token))),
            (Database: this, Work: work),
            cancellationToken).AsTask();

    public Task WriteAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync((c, t) =>
        {
            work(c, t);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Runs the statement (or the batch) outside an explicit transaction: Npgsql sends a batch with one Sync, which
    /// PostgreSQL runs in one implicit transaction, committed when it ends. One round trip where BEGIN ... COMMIT takes two.
    /// </summary>
    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
        RetriedAsync(connection => Committed(() => connection.Execute(sql, parameters)), cancellationToken);

    public Task<T> ExecuteScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
        RetriedAsync(connection => Committed(() => connection.ExecuteScalar<T>(sql, parameters)!), cancellationToken);

    /// <summary>Runs a batch and reports its commit, which is done when its statement returns.</summary>
    private T Committed<T>(Func<T> batch)
    {
        long started = Stopwatch.GetTimestamp();
        T result = batch();
        _telemetry?.Committed(Engine, Stopwatch.GetElapsedTime(started));
        return result;
    }

    private Task<T> RetriedAsync<T>(Func<DbConnection, T> statement, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            static (state, token) => new ValueTask<T>(state.Database.Enqueue(new WithoutTransaction<T>(state.Statement, token))),
            (Database: this, Statement: statement),
            cancellationToken).AsTask();

    private Task<T> Enqueue<T>(DatabaseWork<T> work)
    {
        if (!_queue.TryAdd(work))
        {
            throw new ObjectDisposedException(nameof(PostgreSqlDatabase));
        }

        return work.Completion.Task;
    }

    private void RunWorker()
    {
        while (_queue.TryTake(out var work))
        {
            work.Run(this);
        }
    }

    private T RunWrite<T>(Func<DbConnection, DbTransaction, T> work)
    {
        using var connection = _dataSource.OpenConnection();
        long started = Stopwatch.GetTimestamp();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        T result;
        try
        {
            result = work(connection, transaction);
        }
        catch
        {
            RollBack(transaction);
            throw;
        }

        long committing = Stopwatch.GetTimestamp();
        // A COMMIT that fails throws, and PostgreSQL has then rolled the transaction back.
        transaction.Commit();
        var held = Stopwatch.GetElapsedTime(started);
        _telemetry?.Committed(Engine, held);
        if (held > _slowCommit)
        {
            _logger.LogWarning(
                "A write held its transaction {HeldMs:F0} ms (COMMIT {CommitMs:F0} ms)",
                held.TotalMilliseconds, Stopwatch.GetElapsedTime(committing).TotalMilliseconds);
        }

        return result;
    }

    private static void RollBack(NpgsqlTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke (the server then dropped the transaction itself): the delegate's exception is the news.
        }
    }

    /// <summary>
    /// The work waiting for a worker. An idle worker sleeps in <see cref="Monitor.Wait(object)"/>, which blocks at once:
    /// BlockingCollection's and SemaphoreSlim's waits spin and yield first, and 32 workers woken for every statement
    /// spent a third of the node's CPU in sched_yield (measured with dotnet-trace collect-linux).
    /// </summary>
    private sealed class WorkQueue
    {
        private readonly Queue<DatabaseWork> _items = new();
        private readonly object _gate = new(); // Monitor.Wait/Pulse need an object monitor, not a Lock
        private bool _completed;

        public bool TryAdd(DatabaseWork work)
        {
            lock (_gate)
            {
                if (_completed)
                {
                    return false;
                }

                _items.Enqueue(work);
                Monitor.Pulse(_gate);
                return true;
            }
        }

        /// <summary>Waits for work; false once the queue is completed and empty.</summary>
        public bool TryTake([NotNullWhen(true)] out DatabaseWork? work)
        {
            lock (_gate)
            {
                while (_items.Count == 0 && !_completed)
                {
                    Monitor.Wait(_gate);
                }

                return _items.TryDequeue(out work);
            }
        }

        public void Complete()
        {
            lock (_gate)
            {
                _completed = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private abstract class DatabaseWork
    {
        public abstract void Run(PostgreSqlDatabase database);
    }

    /// <summary>
    /// One read or write waiting for a worker. A cancellation that comes while it waits is honoured when a worker takes
    /// it (it does not run); once it runs, it runs to its end, so a caller never sees a write cancelled that committed.
    /// </summary>
    private abstract class DatabaseWork<T>(CancellationToken cancellationToken) : DatabaseWork
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public sealed override void Run(PostgreSqlDatabase database)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                Completion.TrySetResult(Execute(database));
            }
            catch (Exception ex)
            {
                Completion.TrySetException(ex);
            }
        }

        protected abstract T Execute(PostgreSqlDatabase database);
    }

    private sealed class WithoutTransaction<T>(Func<DbConnection, T> query, CancellationToken cancellationToken)
        : DatabaseWork<T>(cancellationToken)
    {
        protected override T Execute(PostgreSqlDatabase database)
        {
            using var connection = database._dataSource.OpenConnection();
            return query(connection);
        }
    }

    private sealed class Write<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
        : DatabaseWork<T>(cancellationToken)
    {
        protected override T Execute(PostgreSqlDatabase database) => database.RunWrite(work);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, the container may dispose it twice: only the first call closes it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The workers finish what was queued (answers wait on those commits), then end.
            _queue.Complete();
            await Task.Run(() =>
            {
                foreach (var worker in _workers)
                {
                    worker.Join();
                }
            });
            await _dataSource.DisposeAsync();
        }
    }
}
