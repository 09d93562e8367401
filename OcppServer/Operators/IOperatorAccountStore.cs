namespace OcppServer.Operators;

/// <summary>Operator accounts. Every change is one atomic statement on any engine (no read-then-write in the caller).</summary>
public interface IOperatorAccountStore
{
    /// <summary>Adds an account; false when the user name (without regard to case) is taken.</summary>
    Task<bool> InsertAsync(OperatorAccount account, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="account"/> only while there is no account at all (how the first admin is created from
    /// configuration or the command line, safely when several nodes start at once); false when one already exists.
    /// </summary>
    Task<bool> InsertIfNoAccountsAsync(OperatorAccount account, CancellationToken cancellationToken);

    Task<OperatorAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken);

    Task<OperatorAccount?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every account, by user name.</summary>
    Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed sign-in in one statement: when the count reaches <paramref name="maxFailures"/> the account is
    /// locked until <paramref name="lockUntil"/> and the count starts again at 0. Null when the account does not exist.
    /// </summary>
    Task<FailedSignInOutcome?> RecordFailedSignInAsync(string id, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>After a successful sign-in: the failure count back to 0 and any past lockout cleared.</summary>
    Task ResetFailedSignInsAsync(string id, CancellationToken cancellationToken);

    /// <summary>New password hash and security stamp; false when the account does not exist.</summary>
    Task<bool> SetPasswordAsync(string id, string passwordHash, string securityStamp, CancellationToken cancellationToken);

    /// <summary>
    /// New role and security stamp. Refused (false) when the account does not exist, or when it is the last enabled
    /// admin and <paramref name="role"/> is not admin (the check and the change are one statement).
    /// </summary>
    Task<bool> SetRoleAsync(string id, OperatorRole role, string securityStamp, CancellationToken cancellationToken);

    /// <summary>
    /// Disables or enables an account with a new security stamp. Refused (false) when it does not exist, or when
    /// disabling the last enabled admin (one statement).
    /// </summary>
    Task<bool> SetDisabledAsync(string id, bool disabled, string securityStamp, CancellationToken cancellationToken);
}
