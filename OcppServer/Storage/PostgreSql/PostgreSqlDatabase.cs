using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
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
/// The delegates block on the network (synchronous Npgsql reads), so they run on a thread-pool thread, never on the
/// thread that called: with <see cref="TransportOptions.InlineIo"/> that is often a socket engine's event thread, and a
/// synchronous read there waits for a readiness event that only that (blocked) thread can deliver when the PostgreSQL
/// socket belongs to its engine: the thread, and every socket of its engine, would hang for ever.
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

        _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();

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
    public async Task<T> ReadAsync<T>(Func<DbConnection, T> query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await OnThreadPool();
        return query(connection);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of its own; completes once that transaction is committed.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(
            static (state, token) => state.Database.WriteOnceAsync(state.Work, token),
            (Database: this, Work: work),
            cancellationToken).AsTask();

    public Task WriteAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync((c, t) =>
        {
            work(c, t);
            return true;
        }, cancellationToken);

    private async ValueTask<T> WriteOnceAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        long started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        T result;
        await OnThreadPool();
        try
        {
            result = work(connection, transaction);
        }
        catch
        {
            await RollBackAsync(transaction);
            throw;
        }

        long committing = Stopwatch.GetTimestamp();
        // Not cancellable: a COMMIT cut off half way would leave the caller unsure whether its write was kept. A COMMIT that
        // fails throws, and PostgreSQL has then rolled the transaction back.
        await transaction.CommitAsync(CancellationToken.None);
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

    /// <summary>
    /// Continues on a thread-pool thread, where blocking is allowed: at once when already on one (no hand-off), else
    /// through the pool's queue (a socket engine's event thread, a dedicated thread).
    /// </summary>
    private static ThreadPoolAwaitable OnThreadPool() => default;

    private readonly struct ThreadPoolAwaitable : ICriticalNotifyCompletion
    {
        public ThreadPoolAwaitable GetAwaiter() => this;

        public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) =>
            ThreadPool.QueueUserWorkItem(static run => run(), continuation, preferLocal: false);

        public void UnsafeOnCompleted(Action continuation) =>
            ThreadPool.UnsafeQueueUserWorkItem(static run => run(), continuation, preferLocal: false);
    }

    private static async Task RollBackAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke (the server then dropped the transaction itself): the delegate's exception is the news.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, the container may dispose it twice: only the first call closes it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
