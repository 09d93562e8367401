using System.Data.Common;
using Dapper;
using OcppServer.Operators;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// Operator accounts on both engines: names unique without regard to case, the first account added once however many
/// nodes try at once, failed sign-ins counted and locked in one statement, and the last enabled admin kept even when two
/// nodes demote or disable the only two admins at the same moment.
/// </summary>
[TestFixture(EngineDatabase.Sqlite)]
[TestFixture(EngineDatabase.PostgreSql)]
public sealed class OperatorAccountStoreTests(string engine)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    private EngineDatabase _engine = null!;
    private IRelationalDatabase _database = null!;
    private SqlOperatorAccountStore _store = null!;
    private SqlOperatorAccountStore _otherNode = null!;
    private int _nextId;

    [OneTimeSetUp]
    public async Task OpenDatabase()
    {
        _engine = await EngineDatabase.CreateAsync(engine);
        _database = _engine.Database;
        _store = new SqlOperatorAccountStore(_engine.Database);
        _otherNode = new SqlOperatorAccountStore(_engine.OtherNode);
    }

    [OneTimeTearDown]
    public async Task CloseDatabase()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [SetUp]
    public Task Empty() => DeleteAllAsync();

    [Test]
    public async Task An_account_reads_back_as_inserted_by_id_and_by_its_name_in_any_case_with_its_role_stored_in_lower_case()
    {
        var account = Account("Alice", OperatorRole.Operator) with { LockedOutUntil = Now.AddMinutes(5), FailedSignIns = 2 };

        Assert.That(await _store.InsertAsync(account, CancellationToken.None), Is.True);

        Assert.That(await _store.GetAsync(account.Id, CancellationToken.None), Is.EqualTo(account));
        Assert.That(await _store.FindByUserNameAsync("  aLICE ", CancellationToken.None), Is.EqualTo(account));
        Assert.That(await _store.GetAsync("nobody", CancellationToken.None), Is.Null);
        Assert.That(await _store.FindByUserNameAsync("bob", CancellationToken.None), Is.Null);
        var stored = await _database.ReadAsync(c => c.QuerySingle<(string Role, string Normalized)>(
            "SELECT role, normalized_user_name FROM operator_accounts WHERE id = @Id", new { account.Id }), CancellationToken.None);
        Assert.That(stored, Is.EqualTo(("operator", "ALICE")));
    }

    [Test]
    public async Task A_user_name_taken_in_another_case_is_refused_and_the_first_account_is_kept()
    {
        var first = Account("Alice", OperatorRole.Admin);
        await _store.InsertAsync(first, CancellationToken.None);

        Assert.That(await _store.InsertAsync(Account(" ALICE", OperatorRole.Viewer), CancellationToken.None), Is.False);
        Assert.That(await _otherNode.InsertAsync(Account("alice", OperatorRole.Viewer), CancellationToken.None), Is.False);

        Assert.That(await _store.CountAsync(CancellationToken.None), Is.EqualTo(1));
        Assert.That(await _store.FindByUserNameAsync("alice", CancellationToken.None), Is.EqualTo(first));
    }

    [Test]
    public async Task An_id_taken_under_another_name_is_a_fault_not_a_taken_name()
    {
        var first = Account("Alice", OperatorRole.Admin);
        await _store.InsertAsync(first, CancellationToken.None);

        Assert.That(async () => await _store.InsertAsync(Account("Bob", OperatorRole.Viewer) with { Id = first.Id }, CancellationToken.None),
            Throws.InstanceOf<DbException>());
    }

    [Test]
    public async Task Accounts_are_listed_by_user_name_and_counted()
    {
        foreach (string name in new[] { "carol", "Alice", "bob" })
        {
            await _store.InsertAsync(Account(name, OperatorRole.Viewer), CancellationToken.None);
        }

        var listed = await _store.ListAsync(CancellationToken.None);

        Assert.That(listed.Select(a => a.UserName), Is.EqualTo(new[] { "Alice", "bob", "carol" }));
        Assert.That(await _store.CountAsync(CancellationToken.None), Is.EqualTo(3));
    }

    [Test]
    public async Task The_first_account_is_added_only_while_there_is_none()
    {
        var admin = Account("root", OperatorRole.Admin);

        Assert.That(await _store.InsertIfNoAccountsAsync(admin, CancellationToken.None), Is.True);
        Assert.That(await _store.InsertIfNoAccountsAsync(Account("other", OperatorRole.Admin), CancellationToken.None), Is.False);
        Assert.That(await _store.InsertIfNoAccountsAsync(Account("root", OperatorRole.Admin), CancellationToken.None), Is.False);

        Assert.That(await _store.ListAsync(CancellationToken.None), Is.EqualTo(new[] { admin }));
    }

    [Test]
    public async Task No_first_account_is_added_once_an_account_was_added_otherwise()
    {
        await _store.InsertAsync(Account("alice", OperatorRole.Viewer), CancellationToken.None);

        Assert.That(await _store.InsertIfNoAccountsAsync(Account("root", OperatorRole.Admin), CancellationToken.None), Is.False);
        Assert.That(await _store.CountAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public Task First_accounts_added_by_several_nodes_at_once_are_added_exactly_once([Values] bool sameName) =>
        RaceForTheFirstAccountAsync(rounds: 15, sameName);

    [Test]
    public async Task First_accounts_added_by_several_nodes_while_one_is_still_uncommitted_are_added_exactly_once([Values] bool sameName)
    {
        await using var heldOpen = await HoldChangesOpenAsync();
        await RaceForTheFirstAccountAsync(rounds: 3, sameName);
    }

    private async Task RaceForTheFirstAccountAsync(int rounds, bool sameName)
    {
        const int Racers = 8;
        for (int round = 0; round < rounds; round++)
        {
            await DeleteAllAsync();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racing = Enumerable.Range(0, Racers).Select(async i =>
            {
                var store = i % 2 == 0 ? _store : _otherNode;
                var account = Account(sameName ? "root" : $"root{i}", OperatorRole.Admin);
                await start.Task;
                return await store.InsertIfNoAccountsAsync(account, CancellationToken.None);
            }).ToList();
            start.SetResult(); // an awaited gate, not a Barrier: blocked pool threads would wait for the pool to grow
            var results = await Task.WhenAll(racing).WaitAsync(Patience);

            Assert.That(results.Count(added => added), Is.EqualTo(1), $"round {round}: exactly one node adds the first account");
            Assert.That(await _store.CountAsync(CancellationToken.None), Is.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public async Task Failed_sign_ins_are_counted_until_the_limit_locks_the_account_and_the_count_starts_again()
    {
        var account = Account("alice", OperatorRole.Operator);
        await _store.InsertAsync(account, CancellationToken.None);
        var firstLock = Now.AddMinutes(15);
        var secondLock = Now.AddMinutes(30);

        var outcomes = new List<FailedSignInOutcome?>();
        for (int i = 0; i < 4; i++)
        {
            outcomes.Add(await _store.RecordFailedSignInAsync(account.Id, maxFailures: 3, firstLock, CancellationToken.None));
        }

        Assert.That(outcomes, Is.EqualTo(new FailedSignInOutcome?[]
        {
            new(1, null), new(2, null), new(0, firstLock), new(1, firstLock),
        }));
        await _store.RecordFailedSignInAsync(account.Id, maxFailures: 3, secondLock, CancellationToken.None);
        Assert.That(await _store.RecordFailedSignInAsync(account.Id, maxFailures: 3, secondLock, CancellationToken.None),
            Is.EqualTo(new FailedSignInOutcome(0, secondLock)), "a later lockout replaces the earlier one");
        var stored = await _store.GetAsync(account.Id, CancellationToken.None);
        Assert.That((stored!.FailedSignIns, stored.LockedOutUntil), Is.EqualTo((0, (DateTimeOffset?)secondLock)));
        Assert.That(stored.SecurityStamp, Is.EqualTo(account.SecurityStamp), "a failure ends no session");
    }

    [Test]
    public async Task A_limit_of_one_locks_at_the_first_failure_and_an_unknown_account_has_no_outcome()
    {
        var account = Account("alice", OperatorRole.Operator);
        await _store.InsertAsync(account, CancellationToken.None);

        Assert.That(await _store.RecordFailedSignInAsync(account.Id, 1, Now, CancellationToken.None), Is.EqualTo(new FailedSignInOutcome(0, Now)));
        Assert.That(await _store.RecordFailedSignInAsync("nobody", 3, Now, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Failed_sign_ins_counted_at_once_by_several_nodes_are_all_counted_and_lock_the_account_once()
    {
        const int Failures = 40;
        const int MaxFailures = 25;
        var account = Account("alice", OperatorRole.Operator);
        await _store.InsertAsync(account, CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Failures).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _store : _otherNode).RecordFailedSignInAsync(account.Id, MaxFailures, Now.AddMinutes(15), CancellationToken.None))))
            .WaitAsync(Patience);

        Assert.That(outcomes.Count(o => o!.FailedSignIns == 0), Is.EqualTo(1), "the 25th failure locks, once");
        Assert.That(outcomes.Select(o => o!.FailedSignIns).Where(n => n > 0).Order(),
            Is.EqualTo(Enumerable.Range(1, MaxFailures - 1).Concat(Enumerable.Range(1, Failures - MaxFailures)).Order()), "no failure lost or counted twice");
        Assert.That((await _store.GetAsync(account.Id, CancellationToken.None))!.FailedSignIns, Is.EqualTo(Failures - MaxFailures));
    }

    [Test]
    public async Task A_successful_sign_in_resets_the_count_and_clears_the_lockout()
    {
        var account = Account("alice", OperatorRole.Operator);
        await _store.InsertAsync(account, CancellationToken.None);
        await _store.RecordFailedSignInAsync(account.Id, 2, Now, CancellationToken.None);
        await _store.RecordFailedSignInAsync(account.Id, 2, Now, CancellationToken.None);
        await _store.RecordFailedSignInAsync(account.Id, 2, Now, CancellationToken.None);

        await _store.ResetFailedSignInsAsync(account.Id, CancellationToken.None);
        await _store.ResetFailedSignInsAsync("nobody", CancellationToken.None);

        var stored = await _store.GetAsync(account.Id, CancellationToken.None);
        Assert.That((stored!.FailedSignIns, stored.LockedOutUntil), Is.EqualTo((0, (DateTimeOffset?)null)));
    }

    [Test]
    public async Task A_new_password_comes_with_a_new_security_stamp()
    {
        var account = Account("alice", OperatorRole.Operator);
        await _store.InsertAsync(account, CancellationToken.None);

        Assert.That(await _store.SetPasswordAsync(account.Id, "new-hash", "stamp-2", CancellationToken.None), Is.True);
        Assert.That(await _store.SetPasswordAsync("nobody", "new-hash", "stamp-2", CancellationToken.None), Is.False);

        Assert.That(await _store.GetAsync(account.Id, CancellationToken.None),
            Is.EqualTo(account with { PasswordHash = "new-hash", SecurityStamp = "stamp-2" }));
    }

    [Test]
    public async Task Roles_change_with_a_new_security_stamp_but_the_last_enabled_admin_stays_admin()
    {
        var admin = Account("root", OperatorRole.Admin);
        var viewer = Account("alice", OperatorRole.Viewer);
        await _store.InsertAsync(admin, CancellationToken.None);
        await _store.InsertAsync(viewer, CancellationToken.None);

        Assert.That(await _store.SetRoleAsync(admin.Id, OperatorRole.Operator, "stamp-2", CancellationToken.None), Is.False, "the last admin");
        Assert.That(await _store.SetRoleAsync(admin.Id, OperatorRole.Admin, "stamp-2", CancellationToken.None), Is.True, "admin to admin");
        Assert.That(await _store.SetRoleAsync(viewer.Id, OperatorRole.Operator, "stamp-3", CancellationToken.None), Is.True);
        Assert.That(await _store.SetRoleAsync("nobody", OperatorRole.Admin, "stamp-4", CancellationToken.None), Is.False);

        Assert.That(await _store.GetAsync(viewer.Id, CancellationToken.None), Is.EqualTo(viewer with { Role = OperatorRole.Operator, SecurityStamp = "stamp-3" }));
        Assert.That(await _store.GetAsync(admin.Id, CancellationToken.None), Is.EqualTo(admin with { SecurityStamp = "stamp-2" }));

        Assert.That(await _store.SetRoleAsync(viewer.Id, OperatorRole.Admin, "stamp-5", CancellationToken.None), Is.True);
        Assert.That(await _store.SetRoleAsync(admin.Id, OperatorRole.Viewer, "stamp-6", CancellationToken.None), Is.True, "another admin remains");
        Assert.That(await _store.SetRoleAsync(viewer.Id, OperatorRole.Viewer, "stamp-7", CancellationToken.None), Is.False, "now the last admin");
        Assert.That(await EnabledAdminsAsync(), Is.EqualTo(new[] { viewer.Id }));
    }

    [Test]
    public async Task A_disabled_admin_does_not_count_as_the_other_admin_and_may_itself_be_demoted()
    {
        var admin = Account("root", OperatorRole.Admin);
        var disabledAdmin = Account("old", OperatorRole.Admin) with { Disabled = true };
        await _store.InsertAsync(admin, CancellationToken.None);
        await _store.InsertAsync(disabledAdmin, CancellationToken.None);

        Assert.That(await _store.SetRoleAsync(admin.Id, OperatorRole.Viewer, "s", CancellationToken.None), Is.False);
        Assert.That(await _store.SetDisabledAsync(admin.Id, true, "s", CancellationToken.None), Is.False);
        Assert.That(await _store.SetRoleAsync(disabledAdmin.Id, OperatorRole.Viewer, "s", CancellationToken.None), Is.True);
        Assert.That(await _store.SetDisabledAsync(disabledAdmin.Id, true, "s2", CancellationToken.None), Is.True, "disabling a disabled account");
    }

    [Test]
    public async Task Accounts_are_disabled_and_enabled_with_a_new_security_stamp_but_the_last_enabled_admin_stays_enabled()
    {
        var admin = Account("root", OperatorRole.Admin);
        var second = Account("second", OperatorRole.Admin);
        var operatorAccount = Account("alice", OperatorRole.Operator);
        await _store.InsertAsync(admin, CancellationToken.None);
        await _store.InsertAsync(second, CancellationToken.None);
        await _store.InsertAsync(operatorAccount, CancellationToken.None);

        Assert.That(await _store.SetDisabledAsync(operatorAccount.Id, true, "s1", CancellationToken.None), Is.True);
        Assert.That(await _store.SetDisabledAsync(second.Id, true, "s2", CancellationToken.None), Is.True);
        Assert.That(await _store.SetDisabledAsync(admin.Id, true, "s3", CancellationToken.None), Is.False, "the last enabled admin");
        Assert.That(await _store.SetDisabledAsync(admin.Id, false, "s4", CancellationToken.None), Is.True, "enabling an enabled admin");
        Assert.That(await _store.SetDisabledAsync("nobody", false, "s5", CancellationToken.None), Is.False);

        Assert.That(await _store.GetAsync(operatorAccount.Id, CancellationToken.None), Is.EqualTo(operatorAccount with { Disabled = true, SecurityStamp = "s1" }));
        Assert.That(await _store.GetAsync(admin.Id, CancellationToken.None), Is.EqualTo(admin with { SecurityStamp = "s4" }));

        Assert.That(await _store.SetDisabledAsync(second.Id, false, "s6", CancellationToken.None), Is.True);
        Assert.That(await _store.SetDisabledAsync(admin.Id, true, "s7", CancellationToken.None), Is.True, "the second admin is enabled again");
        Assert.That(await EnabledAdminsAsync(), Is.EqualTo(new[] { second.Id }));
    }

    [TestCase("role", "role")]
    [TestCase("disabled", "disabled")]
    [TestCase("role", "disabled")]
    public Task The_only_two_admins_taken_away_by_two_nodes_at_once_leave_exactly_one(string first, string second) =>
        RaceToTakeAwayTheAdminsAsync(rounds: 25, first, second);

    [TestCase("role", "role")]
    [TestCase("disabled", "disabled")]
    [TestCase("role", "disabled")]
    public async Task The_only_two_admins_taken_away_by_two_nodes_while_each_change_is_uncommitted_leave_exactly_one(string first, string second)
    {
        await using var heldOpen = await HoldChangesOpenAsync();
        await RaceToTakeAwayTheAdminsAsync(rounds: 3, first, second);
    }

    private async Task RaceToTakeAwayTheAdminsAsync(int rounds, string first, string second)
    {
        for (int round = 0; round < rounds; round++)
        {
            await DeleteAllAsync();
            var a = Account("a", OperatorRole.Admin);
            var b = Account("b", OperatorRole.Admin);
            await _store.InsertAsync(a, CancellationToken.None);
            await _store.InsertAsync(b, CancellationToken.None);

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racing = new[] { TakeAwayAsync(_store, first, a.Id), TakeAwayAsync(_otherNode, second, b.Id) };
            start.SetResult();
            var results = await Task.WhenAll(racing).WaitAsync(Patience);

            Assert.That(results.Count(taken => taken), Is.EqualTo(1), $"round {round}: exactly one change goes through");
            Assert.That(await EnabledAdminsAsync(), Has.Count.EqualTo(1), $"round {round}: one enabled admin remains");

            async Task<bool> TakeAwayAsync(SqlOperatorAccountStore store, string how, string id)
            {
                await start.Task;
                return how == "role"
                    ? await store.SetRoleAsync(id, OperatorRole.Operator, "stamp-2", CancellationToken.None)
                    : await store.SetDisabledAsync(id, true, "stamp-2", CancellationToken.None);
            }
        }
    }

    [Test]
    public async Task Migration_0024_refuses_a_role_out_of_the_lower_case_three_and_a_second_first_account()
    {
        Assert.That(async () => await _database.ExecuteAsync(
            """
            INSERT INTO operator_accounts (id, user_name, normalized_user_name, password_hash, role, security_stamp, created_at)
            VALUES ('x', 'x', 'X', 'h', 'Admin', 's', 0)
            """, null, CancellationToken.None), Throws.InstanceOf<DbException>(), "roles are stored in lower case");
        await _store.InsertIfNoAccountsAsync(Account("root", OperatorRole.Admin), CancellationToken.None);
        var refused = await Assert.CatchAsync<DbException>(() => _database.ExecuteAsync(
            """
            INSERT INTO operator_accounts (id, user_name, normalized_user_name, password_hash, role, security_stamp, created_at, first_account)
            VALUES ('y', 'y', 'Y', 'h', 'admin', 's', 0, 1)
            """, null, CancellationToken.None));
        Assert.That(_database.IsUniqueViolation(refused!), Is.True, "one first account");
    }

    /// <summary>
    /// On PostgreSQL, makes every insert and every role or disabled change wait 0.3 s after its row is written, before its
    /// transaction commits: the window in which READ COMMITTED lets another node's check see the table as it was, made
    /// wide enough that every round of a race falls into it (without it the race is won or lost in microseconds). SQLite
    /// runs one write at a time: there is no such window, and the test passes as it is.
    /// </summary>
    private async Task<IAsyncDisposable> HoldChangesOpenAsync()
    {
        if (engine != EngineDatabase.PostgreSql)
        {
            Assert.Pass("SQLite runs one write at a time: no change is ever uncommitted while another checks");
        }

        await _database.ExecuteAsync(
            """
            CREATE FUNCTION hold_open() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
            CREATE TRIGGER hold_insert_open AFTER INSERT ON operator_accounts FOR EACH ROW EXECUTE FUNCTION hold_open();
            CREATE TRIGGER hold_change_open AFTER UPDATE ON operator_accounts FOR EACH ROW
                WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled IS DISTINCT FROM NEW.disabled) EXECUTE FUNCTION hold_open();
            """, null, CancellationToken.None);
        return new Undo(() => _database.ExecuteAsync(
            """
            DROP TRIGGER hold_insert_open ON operator_accounts;
            DROP TRIGGER hold_change_open ON operator_accounts;
            DROP FUNCTION hold_open();
            """, null, CancellationToken.None));
    }

    private async Task<List<string>> EnabledAdminsAsync() =>
        (await _store.ListAsync(CancellationToken.None)).Where(a => a.Role == OperatorRole.Admin && !a.Disabled).Select(a => a.Id).ToList();

    private Task DeleteAllAsync() => _database.ExecuteAsync("DELETE FROM operator_accounts", null, CancellationToken.None);

    private OperatorAccount Account(string userName, OperatorRole role) => new()
    {
        Id = $"op_{Interlocked.Increment(ref _nextId)}",
        UserName = userName,
        PasswordHash = $"hash-of-{userName}",
        Role = role,
        SecurityStamp = $"stamp-of-{userName}",
        CreatedAt = Now,
    };

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}
