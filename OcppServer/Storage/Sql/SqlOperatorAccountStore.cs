using System.Data.Common;
using Dapper;

using OcppServer.Operators;

namespace OcppServer.Storage.Sql;

/// <summary>
/// Operator accounts in <c>operator_accounts</c> (migration 0024). Every change is one conditional statement; the last
/// enabled admin is kept by the statement that would remove it (see <see cref="ChangeAdminAsync"/> for PostgreSQL's
/// concurrent writers).
/// </summary>
internal sealed class SqlOperatorAccountStore(IRelationalDatabase database) : IOperatorAccountStore
{
    private const string Columns =
        "id, user_name, normalized_user_name, password_hash, role, failed_sign_ins, locked_out_until, disabled, security_stamp, created_at";

    private const string InsertSql =
        $"""
        INSERT INTO operator_accounts ({Columns})
        VALUES (@Id, @UserName, @NormalizedUserName, @PasswordHash, @Role, @FailedSignIns, @LockedOutUntil, @Disabled, @SecurityStamp, @CreatedAt)
        """;

    // One statement: the account goes in only while the table is empty. Under PostgreSQL's READ COMMITTED two nodes can
    // both find it empty; both rows then carry first_account = 1, whose unique constraint makes the later insert wait for
    // the earlier one's commit and fail. The casts give PostgreSQL the types that a SELECT list cannot infer from a null.
    private const string InsertIfNoAccountsSql =
        $"""
        INSERT INTO operator_accounts ({Columns}, first_account)
        SELECT @Id, @UserName, @NormalizedUserName, @PasswordHash, @Role, @FailedSignIns, CAST(@LockedOutUntil AS BIGINT), @Disabled,
               @SecurityStamp, @CreatedAt, 1
        WHERE NOT EXISTS (SELECT 1 FROM operator_accounts)
        """;

    // The right-hand sides read the row as it was before this UPDATE, on both engines.
    private const string RecordFailedSignInSql =
        """
        UPDATE operator_accounts SET
            failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN 0 ELSE failed_sign_ins + 1 END,
            locked_out_until = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @lockUntil ELSE locked_out_until END
        WHERE id = @id
        RETURNING failed_sign_ins, locked_out_until
        """;

    /// <summary>Some other admin that can sign in: the condition under which an admin may stop being one.</summary>
    private const string AnotherEnabledAdmin =
        "EXISTS (SELECT 1 FROM operator_accounts o WHERE o.id <> @id AND o.role = 'admin' AND NOT o.disabled)";

    private const string SetRoleSql =
        $"""
        UPDATE operator_accounts SET role = @role, security_stamp = @securityStamp
        WHERE id = @id AND (@role = 'admin' OR role <> 'admin' OR disabled OR {AnotherEnabledAdmin})
        """;

    private const string SetDisabledSql =
        $"""
        UPDATE operator_accounts SET disabled = @disabled, security_stamp = @securityStamp
        WHERE id = @id AND (NOT @disabled OR role <> 'admin' OR disabled OR {AnotherEnabledAdmin})
        """;

    /// <summary>
    /// Locks every admin row (an UPDATE that changes nothing: SQLite has no <c>SELECT ... FOR UPDATE</c>, and its writes
    /// are serialized anyway). See <see cref="ChangeAdminAsync"/>.
    /// </summary>
    private const string LockAdminsSql = "UPDATE operator_accounts SET role = role WHERE role = 'admin'";

    public async Task<bool> InsertAsync(OperatorAccount account, CancellationToken cancellationToken)
    {
        try
        {
            return await database.ExecuteAsync(InsertSql, Parameters(account), cancellationToken) == 1;
        }
        catch (DbException ex) when (database.IsUniqueViolation(ex))
        {
            if (await FindByUserNameAsync(account.UserName, cancellationToken) is null)
            {
                throw; // the id was taken, not the name: ids are made unique by the caller, so this is a fault to report
            }

            return false;
        }
    }

    public async Task<bool> InsertIfNoAccountsAsync(OperatorAccount account, CancellationToken cancellationToken)
    {
        try
        {
            return await database.ExecuteAsync(InsertIfNoAccountsSql, Parameters(account), cancellationToken) == 1;
        }
        catch (DbException ex) when (database.IsUniqueViolation(ex))
        {
            return false; // another node's first account committed meanwhile (or its name is this one's)
        }
    }

    public async Task<OperatorAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
    {
        string normalizedUserName = OperatorAccount.Normalize(userName);
        var row = await database.ReadAsync(c => c.QuerySingleOrDefault<AccountRow>(
            $"SELECT {Columns} FROM operator_accounts WHERE normalized_user_name = @normalizedUserName", new { normalizedUserName }), cancellationToken);
        return row?.ToAccount();
    }

    public async Task<OperatorAccount?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(c => c.QuerySingleOrDefault<AccountRow>(
            $"SELECT {Columns} FROM operator_accounts WHERE id = @id", new { id }), cancellationToken);
        return row?.ToAccount();
    }

    public Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OperatorAccount>>(c => c.Query<AccountRow>(
            $"SELECT {Columns} FROM operator_accounts ORDER BY normalized_user_name, id").Select(r => r.ToAccount()).ToList(), cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<int>("SELECT COUNT(*) FROM operator_accounts"), cancellationToken);

    public async Task<FailedSignInOutcome?> RecordFailedSignInAsync(
        string id, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        var row = await database.WriteAsync((c, t) => c.QuerySingleOrDefault<FailedSignInRow>(
            RecordFailedSignInSql, new { id, maxFailures, lockUntil }, t), cancellationToken);
        return row is null ? null : new FailedSignInOutcome(row.FailedSignIns, row.LockedOutUntil);
    }

    public Task ResetFailedSignInsAsync(string id, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE operator_accounts SET failed_sign_ins = 0, locked_out_until = NULL WHERE id = @id", new { id }, cancellationToken);

    public async Task<bool> SetPasswordAsync(string id, string passwordHash, string securityStamp, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE operator_accounts SET password_hash = @passwordHash, security_stamp = @securityStamp WHERE id = @id",
            new { id, passwordHash, securityStamp }, cancellationToken) == 1;

    public Task<bool> SetRoleAsync(string id, OperatorRole role, string securityStamp, CancellationToken cancellationToken) =>
        ChangeAdminAsync(
            mayRemoveAnAdmin: role != OperatorRole.Admin, SetRoleSql, new { id, role = RoleName(role), securityStamp }, cancellationToken);

    public Task<bool> SetDisabledAsync(string id, bool disabled, string securityStamp, CancellationToken cancellationToken) =>
        ChangeAdminAsync(mayRemoveAnAdmin: disabled, SetDisabledSql, new { id, disabled, securityStamp }, cancellationToken);

    /// <summary>
    /// Runs a role or disabled change whose own WHERE keeps the last enabled admin. On PostgreSQL (READ COMMITTED) that
    /// condition alone is not enough: two transactions demoting the only two admins would each see the other still an
    /// admin and both commit. So a change that may take an admin away first locks every admin row, in the same
    /// transaction: the second of two such changes waits for the first to commit, and its conditional UPDATE, a new
    /// statement with a new snapshot, then sees what the first did. Two changes that lock the rows in different orders
    /// deadlock, and PostgreSQL's rollback is run again by the database. On SQLite writes are serialized and the lock
    /// changes nothing.
    /// </summary>
    private Task<bool> ChangeAdminAsync(bool mayRemoveAnAdmin, string sql, object parameters, CancellationToken cancellationToken) =>
        mayRemoveAnAdmin
            ? database.WriteAsync((c, t) =>
            {
                c.Execute(LockAdminsSql, transaction: t);
                return c.Execute(sql, parameters, t) == 1;
            }, cancellationToken)
            : ExecutedOnceAsync(sql, parameters, cancellationToken);

    private async Task<bool> ExecutedOnceAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(sql, parameters, cancellationToken) == 1;

    private static object Parameters(OperatorAccount account) => new
    {
        account.Id,
        account.UserName,
        account.NormalizedUserName,
        account.PasswordHash,
        Role = RoleName(account.Role),
        account.FailedSignIns,
        account.LockedOutUntil,
        account.Disabled,
        account.SecurityStamp,
        account.CreatedAt,
    };

    /// <summary>A role as stored: its name in lower case (the migration's CHECK names the three).</summary>
    internal static string RoleName(OperatorRole role) => role switch
    {
        OperatorRole.Viewer => "viewer",
        OperatorRole.Operator => "operator",
        OperatorRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not an operator role"),
    };

    private static OperatorRole ParseRole(string stored) => stored switch
    {
        "viewer" => OperatorRole.Viewer,
        "operator" => OperatorRole.Operator,
        "admin" => OperatorRole.Admin,
        _ => throw new InvalidOperationException($"operator_accounts.role holds '{stored}', not a role this version knows"),
    };

    private sealed record AccountRow
    {
        public string Id { get; init; } = "";
        public string UserName { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public string Role { get; init; } = "";
        public int FailedSignIns { get; init; }
        public DateTimeOffset? LockedOutUntil { get; init; }
        public bool Disabled { get; init; }
        public string SecurityStamp { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }

        public OperatorAccount ToAccount() => new()
        {
            Id = Id,
            UserName = UserName,
            PasswordHash = PasswordHash,
            Role = ParseRole(Role),
            FailedSignIns = FailedSignIns,
            LockedOutUntil = LockedOutUntil,
            Disabled = Disabled,
            SecurityStamp = SecurityStamp,
            CreatedAt = CreatedAt,
        };
    }

    private sealed record FailedSignInRow
    {
        public int FailedSignIns { get; init; }
        public DateTimeOffset? LockedOutUntil { get; init; }
    }
}
