using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using OcppServer.Storage;
using OcppServer.Storage.PostgreSql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// The PostgreSQL engine on a private cluster (<see cref="PostgreSqlInstance"/>), each test on an empty database of its
/// own: migrations (also from several nodes at once), a write's task completing only once committed, rollback,
/// the atomic consumption of a row by a conditional UPDATE, unique violations, and the rerun of a transaction that
/// PostgreSQL rolled back on a deadlock or serialization failure.
/// </summary>
public sealed class PostgreSqlDatabaseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private PostgreSqlInstance _instance = null!;
    private string _connectionString = null!;
    private CapturingLogger<PostgreSqlDatabase> _logger = null!;
    private PostgreSqlDatabase _database = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _instance = await PostgreSqlInstance.GetAsync();

    [SetUp]
    public async Task SetUp()
    {
        _connectionString = await _instance.CreateDatabaseAsync();
        _logger = new CapturingLogger<PostgreSqlDatabase>();
        _database = Open(_logger);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task Migrations_apply_on_an_empty_database_once()
    {
        var expected = PostgreSqlMigrationRunner.Migrations().Select(m => m.Version).ToList();
        var runner = new PostgreSqlMigrationRunner(_database, TimeProvider.System, NullLogger<PostgreSqlMigrationRunner>.Instance);

        await runner.ApplyAsync(CancellationToken.None);
        await runner.ApplyAsync(CancellationToken.None); // a node that starts on an up-to-date schema changes nothing

        var applied = await _database.ReadAsync(c => c.Query<string>("SELECT version FROM schema_migrations ORDER BY version").AsList(), CancellationToken.None);
        Assert.That(applied, Is.EqualTo(expected));
        Assert.That(applied, Does.Contain("0018_baseline"));
        var tables = await _database.ReadAsync(
            c => c.Query<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").AsList(), CancellationToken.None);
        Assert.That(tables, Is.SupersetOf(new[] { "charge_points", "transactions", "pre_verifications", "biometric_tokens", "token_replay", "schema_migrations" }));
    }

    [Test]
    public async Task Runners_of_several_nodes_started_together_on_an_empty_database_all_succeed_and_apply_each_migration_once()
    {
        const int Nodes = 4;
        var loggers = Enumerable.Range(0, Nodes).Select(_ => new CapturingLogger<PostgreSqlMigrationRunner>()).ToList();
        var databases = Enumerable.Range(0, Nodes).Select(_ => Open()).ToList();
        try
        {
            using var barrier = new Barrier(Nodes);
            var runs = Enumerable.Range(0, Nodes).Select(i => Task.Run(async () =>
            {
                var runner = new PostgreSqlMigrationRunner(databases[i], TimeProvider.System, loggers[i]);
                barrier.SignalAndWait(Patience);
                await runner.ApplyAsync(CancellationToken.None);
            })).ToList();

            await Task.WhenAll(runs).WaitAsync(Patience);

            var versions = await _database.ReadAsync(c => c.Query<string>("SELECT version FROM schema_migrations").AsList(), CancellationToken.None);
            var expected = PostgreSqlMigrationRunner.Migrations().Select(m => m.Version).ToList();
            Assert.That(versions, Is.EquivalentTo(expected), "each migration recorded once");
            Assert.That(
                loggers.SelectMany(l => l.Entries).Count(e => e.Message.StartsWith("Applied PostgreSQL migration", StringComparison.Ordinal)),
                Is.EqualTo(expected.Count),
                "each migration applied by one node only");
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task A_write_is_seen_by_reads_only_once_its_task_has_completed()
    {
        await CreateItemsAsync();
        var inserted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var write = Task.Run(() => _database.WriteAsync((c, t) =>
        {
            c.Execute("INSERT INTO items (name) VALUES ('pending')", transaction: t);
            inserted.TrySetResult();
            release.Wait(Patience);
        }, CancellationToken.None));
        try
        {
            await inserted.Task.WaitAsync(Patience);

            Assert.That(await CountItemsAsync(), Is.Zero, "a read does not see the write before it is committed");
            Assert.That(write.IsCompleted, Is.False, "the write's task waits for its commit");
        }
        finally
        {
            release.Set();
        }

        await write.WaitAsync(Patience);
        Assert.That(await CountItemsAsync(), Is.EqualTo(1), "once its task has completed, every read sees it");
    }

    [Test]
    public async Task A_write_that_throws_leaves_nothing_runs_once_and_the_next_write_commits()
    {
        await CreateItemsAsync();
        int runs = 0;

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.WriteAsync((c, t) =>
        {
            Interlocked.Increment(ref runs);
            c.Execute("INSERT INTO items (name) VALUES ('half')", transaction: t);
            throw new InvalidOperationException("write failed after its first statement");
        }, CancellationToken.None));
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('next')", transaction: t), CancellationToken.None);

        Assert.That(failed!.Message, Does.Contain("first statement"));
        Assert.That(runs, Is.EqualTo(1), "only a serialization failure or a deadlock runs a write again");
        Assert.That(await _database.ReadAsync(c => c.Query<string>("SELECT name FROM items").AsList(), CancellationToken.None), Is.EqualTo(new[] { "next" }));
    }

    [Test]
    public async Task A_write_whose_commit_fails_faults_and_leaves_nothing()
    {
        // A deferred unique constraint is checked at COMMIT: the delegate returns, the commit fails.
        await _database.WriteAsync((c, t) => c.Execute(
            "CREATE TABLE deferred (id integer PRIMARY KEY, name text NOT NULL, CONSTRAINT deferred_name UNIQUE (name) DEFERRABLE INITIALLY DEFERRED)",
            transaction: t), CancellationToken.None);

        var failed = await Assert.ThrowsAsync<PostgresException>(() => _database.WriteAsync(
            (c, t) => c.Execute("INSERT INTO deferred (id, name) VALUES (1, 'same'), (2, 'same')", transaction: t), CancellationToken.None));

        Assert.That(_database.IsUniqueViolation(failed!), Is.True);
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT count(*) FROM deferred"), CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task Of_two_writers_consuming_the_same_row_with_a_conditional_update_exactly_one_gets_it()
    {
        await CreateItemsAsync();
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('evidence')", transaction: t), CancellationToken.None);
        const string Consume = "UPDATE items SET consumed_by = @by WHERE name = 'evidence' AND consumed_by IS NULL";
        var firstUpdated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var releaseFirst = new ManualResetEventSlim();
        var first = Task.Run(() => _database.WriteAsync((c, t) =>
        {
            int rows = c.Execute(Consume, new { by = "first" }, t);
            firstUpdated.TrySetResult();
            releaseFirst.Wait(Patience); // holds the row, uncommitted, until the second writer waits for it
            return rows;
        }, CancellationToken.None));
        Task<int> second;
        try
        {
            await firstUpdated.Task.WaitAsync(Patience);
            second = Task.Run(() => _database.WriteAsync((c, t) => c.Execute(Consume, new { by = "second" }, t), CancellationToken.None));

            // Both have read the row as unconsumed; the second's UPDATE now waits for the first's row lock.
            await Eventually.UntilAsync(
                () => _database.ReadAsync(
                    c => c.ExecuteScalar<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
                    CancellationToken.None),
                waiting => waiting == 1,
                "the second writer waits for the row the first one updated");
        }
        finally
        {
            releaseFirst.Set();
        }

        int[] rows = await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.That(rows, Is.EqualTo(new[] { 1, 0 }), "the second writer's UPDATE re-checks the committed row and takes nothing");
        Assert.That(
            await _database.ReadAsync(c => c.ExecuteScalar<string>("SELECT consumed_by FROM items WHERE name = 'evidence'"), CancellationToken.None),
            Is.EqualTo("first"));
    }

    [Test]
    public async Task Of_many_writers_consuming_the_same_row_at_once_exactly_one_gets_it()
    {
        await CreateItemsAsync();
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('evidence')", transaction: t), CancellationToken.None);

        var writes = Enumerable.Range(0, 16).Select(i => Task.Run(() => _database.WriteAsync(
            (c, t) => c.Execute("UPDATE items SET consumed_by = @by WHERE name = 'evidence' AND consumed_by IS NULL", new { by = $"w{i}" }, t),
            CancellationToken.None))).ToList();
        int[] rows = await Task.WhenAll(writes).WaitAsync(Patience);

        Assert.That(rows.Count(r => r == 1), Is.EqualTo(1));
        Assert.That(rows.Count(r => r == 0), Is.EqualTo(15));
    }

    [Test]
    public async Task A_unique_violation_is_recognised_and_other_constraint_failures_are_not()
    {
        await CreateItemsAsync();
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('taken')", transaction: t), CancellationToken.None);

        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => _database.WriteAsync(
            (c, t) => c.Execute("INSERT INTO items (name) VALUES ('taken')", transaction: t), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<PostgresException>(() => _database.WriteAsync(
            (c, t) => c.Execute("INSERT INTO items (name) VALUES (NULL)", transaction: t), CancellationToken.None));

        Assert.That(duplicate!.SqlState, Is.EqualTo("23505"));
        Assert.That(_database.IsUniqueViolation(duplicate), Is.True);
        Assert.That(missing!.SqlState, Is.EqualTo("23502"), "not null violation");
        Assert.That(_database.IsUniqueViolation(missing), Is.False);
    }

    [Test]
    public async Task A_write_rolled_back_on_a_deadlock_is_run_again_and_both_writes_commit()
    {
        await CreateItemsAsync();
        await _database.WriteAsync((c, t) => c.Execute("INSERT INTO items (name) VALUES ('a'), ('b')", transaction: t), CancellationToken.None);
        var firstHoldsA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondHoldsB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int runs = 0;

        // Each locks one row, waits until the other holds the other row, then asks for it: PostgreSQL finds the deadlock
        // and rolls one back; that one runs again once the other has committed.
        Task Locking(string mine, string theirs, TaskCompletionSource holding, TaskCompletionSource otherHolding) => Task.Run(() => _database.WriteAsync((c, t) =>
        {
            Interlocked.Increment(ref runs);
            c.Execute("UPDATE items SET n = n + 1 WHERE name = @mine", new { mine }, t);
            holding.TrySetResult();
            otherHolding.Task.Wait(Patience);
            c.Execute("UPDATE items SET n = n + 1 WHERE name = @theirs", new { theirs }, t);
        }, CancellationToken.None));

        await Task.WhenAll(Locking("a", "b", firstHoldsA, secondHoldsB), Locking("b", "a", secondHoldsB, firstHoldsA)).WaitAsync(Patience);

        Assert.That(runs, Is.EqualTo(3), "one of the two ran again");
        Assert.That(await _database.ReadAsync(c => c.Query<int>("SELECT n FROM items ORDER BY name").AsList(), CancellationToken.None), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(_logger.Warnings.Count(w => w.Contains("40P01", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task A_write_that_keeps_failing_on_serialization_is_run_a_bounded_number_of_times_then_faults()
    {
        await CreateItemsAsync();
        int runs = 0;

        var failed = await Assert.ThrowsAsync<PostgresException>(() => _database.WriteAsync((c, t) =>
        {
            int run = Interlocked.Increment(ref runs);
            c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = $"run{run}" }, t);
            throw new PostgresException("simulated", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure);
        }, CancellationToken.None));

        Assert.That(failed!.SqlState, Is.EqualTo(PostgresErrorCodes.SerializationFailure));
        Assert.That(runs, Is.EqualTo(1 + PostgreSqlDatabase.MaxWriteRetries));
        Assert.That(await CountItemsAsync(), Is.Zero, "every run was rolled back");
    }

    [Test]
    public async Task Only_a_write_that_holds_its_transaction_past_the_threshold_is_logged()
    {
        // Thresholds far from what the commits take, whatever the machine: 60 s not reached, 50 ms passed by a 200 ms sleep.
        var quickLogger = new CapturingLogger<PostgreSqlDatabase>();
        await using (var quick = Open(quickLogger, slowCommitWarningMilliseconds: 60_000))
        {
            await quick.WriteAsync((c, t) => c.Execute("SELECT 1", transaction: t), CancellationToken.None);
        }

        var slowLogger = new CapturingLogger<PostgreSqlDatabase>();
        await using (var slow = Open(slowLogger, slowCommitWarningMilliseconds: 50))
        {
            await slow.WriteAsync((c, t) => c.Execute("SELECT pg_sleep(0.2)", transaction: t), CancellationToken.None);
        }

        Assert.That(quickLogger.Warnings, Is.Empty);
        Assert.That(slowLogger.Warnings, Has.Count.EqualTo(1));
        Assert.That(slowLogger.Warnings[0], Does.StartWith("A write held its transaction"));
    }

    [Test]
    public async Task A_cancelled_write_does_not_run()
    {
        await CreateItemsAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        int runs = 0;

        await Assert.CatchAsync<OperationCanceledException>(() => _database.WriteAsync((c, t) => Interlocked.Increment(ref runs), cancelled.Token));
        Assert.That(runs, Is.Zero);
        Assert.That(await CountItemsAsync(), Is.Zero);
    }

    /// <summary>
    /// The delegates block on the network, so they run on the database's own worker threads: never on the caller's
    /// thread (a socket engine's event thread with Transport:InlineIo could wait there for an event only it delivers) and
    /// never on the thread pool (blocked pool threads starve every socket's work until the pool grows).
    /// </summary>
    [Test]
    public async Task A_query_or_write_runs_its_delegate_on_a_database_worker_never_on_the_caller_or_the_pool()
    {
        await CreateItemsAsync();
        string? readThread = null;
        string? writeThread = null;
        bool? readOnPool = null;
        bool? writeOnPool = null;
        Exception? failure = null;
        var caller = new Thread(() =>
        {
            try
            {
                _database.ReadAsync(c =>
                {
                    readThread = Thread.CurrentThread.Name;
                    readOnPool = Thread.CurrentThread.IsThreadPoolThread;
                    return c.ExecuteScalar<int>("SELECT 1");
                }, CancellationToken.None).GetAwaiter().GetResult();
                _database.WriteAsync((c, t) =>
                {
                    writeThread = Thread.CurrentThread.Name;
                    writeOnPool = Thread.CurrentThread.IsThreadPoolThread;
                    return c.Execute("INSERT INTO items (name) VALUES ('a')", transaction: t);
                }, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }) { Name = "caller" };
        caller.Start();
        await Task.Run(() => caller.Join(Patience));

        Assert.That(failure, Is.Null);
        Assert.That(readThread, Does.StartWith("PostgreSQL worker"));
        Assert.That(writeThread, Does.StartWith("PostgreSQL worker"));
        Assert.That(readOnPool, Is.False);
        Assert.That(writeOnPool, Is.False);
        Assert.That(await CountItemsAsync(), Is.EqualTo(1));
    }

    /// <summary>A batch runs without BEGIN/COMMIT (one round trip): PostgreSQL's implicit transaction keeps it atomic.</summary>
    [Test]
    public async Task A_batch_of_statements_commits_all_or_nothing()
    {
        await CreateItemsAsync();
        const string TwoInserts = "INSERT INTO items (name) VALUES (@a); INSERT INTO items (name) VALUES (@b)";
        int rows = await _database.ExecuteAsync(TwoInserts, new { a = "x", b = "y" }, CancellationToken.None);
        long id = await _database.ExecuteScalarAsync<long>("INSERT INTO items (name) VALUES (@name) RETURNING id", new { name = "z" }, CancellationToken.None);

        Assert.That(rows, Is.EqualTo(2));
        Assert.That(id, Is.GreaterThan(0));
        var failure = await Assert.CatchAsync<PostgresException>(() => _database.ExecuteAsync(TwoInserts, new { a = "w", b = "x" }, CancellationToken.None));
        Assert.That(_database.IsUniqueViolation(failure!), Is.True);
        Assert.That(await CountItemsAsync(), Is.EqualTo(3), "w went with the failing statement");
    }

    [Test]
    public async Task No_more_statements_run_at_once_than_there_are_workers()
    {
        await _database.DisposeAsync();
        _database = Open(workers: 2);
        int running = 0;
        int most = 0;
        var reads = Enumerable.Range(0, 6).Select(_ => _database.ReadAsync(c =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            c.Execute("SELECT pg_sleep(0.2)");
            Interlocked.Decrement(ref running);
            return true;
        }, CancellationToken.None)).ToList();

        await Task.WhenAll(reads).WaitAsync(Patience);
        Assert.That(most, Is.EqualTo(2), "two workers: two statements at once, the others wait their turn");
    }

    [Test]
    public async Task Writes_queued_when_the_database_is_disposed_still_commit_and_later_calls_are_refused()
    {
        await CreateItemsAsync();
        await _database.DisposeAsync();
        _database = Open(workers: 1);
        var writes = Enumerable.Range(0, 5).Select(i => _database.WriteAsync(
            (c, t) => c.Execute("INSERT INTO items (name) VALUES (@name)", new { name = $"item{i}" }, t),
            CancellationToken.None)).ToList();

        await _database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _database.ReadAsync(c => 1, CancellationToken.None));
        _database = Open();
        // Counted before the writers' tasks are awaited: the rows were committed by the time disposal returned. (The tasks
        // themselves complete a moment later: the retry pipeline hands their results on through the thread pool.)
        Assert.That(await CountItemsAsync(), Is.EqualTo(5), "disposal waits for the queued writes");
        await Task.WhenAll(writes).WaitAsync(Patience);
        Assert.That(writes.All(w => w.IsCompletedSuccessfully), Is.True);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private PostgreSqlDatabase Open(
        ILogger<PostgreSqlDatabase>? logger = null, double slowCommitWarningMilliseconds = 60_000, int workers = 32) =>
        new(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.PostgreSql,
            PostgreSql = { ConnectionString = _connectionString, Workers = workers },
            SlowCommitWarningMilliseconds = slowCommitWarningMilliseconds,
        }), logger);

    private Task CreateItemsAsync() => _database.WriteAsync((c, t) => c.Execute(
        """
        CREATE TABLE items (
            id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            name        text NOT NULL UNIQUE,
            consumed_by text NULL,
            n           integer NOT NULL DEFAULT 0)
        """, transaction: t), CancellationToken.None);

    private Task<long> CountItemsAsync() => _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT count(*) FROM items"), CancellationToken.None);
}
