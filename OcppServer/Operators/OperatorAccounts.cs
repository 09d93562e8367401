using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace OcppServer.Operators;

/// <summary>Why a sign-in was refused (said to the person only as "wrong user name or password"; the audit log keeps it).</summary>
public enum SignInRefusal
{
    None = 0,
    UnknownUser,
    WrongPassword,
    LockedOut,
    Disabled,
    AddressLimited,
}

public sealed record SignInResult(OperatorAccount? Account, SignInRefusal Refusal, DateTimeOffset? LockedOutUntil = null)
{
    public bool Succeeded => Account is not null && Refusal == SignInRefusal.None;
}

/// <summary>A rule an account change broke, said in words, with the field it concerns.</summary>
public sealed record AccountProblem(string Field, string Message);

/// <summary>
/// Dashboard accounts: sign-in with lockout, creation with the password rules, role and password changes. Passwords
/// are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, salted, rehashed
/// when its defaults grow); they are never stored, logged or audited in clear.
/// </summary>
public sealed class OperatorAccounts(
    IOperatorAccountStore store, IOptions<OperatorAccountOptions> options, TimeProvider time)
{
    public const int MaxUserNameLength = 64;
    public const int MaxPasswordLength = 256;

    private readonly PasswordHasher<OperatorAccount> _hasher = new();

    /// <summary>A hash to verify against when the user does not exist, so an unknown name costs what a wrong password costs.</summary>
    private readonly Lazy<string> _decoyHash = new(() => new PasswordHasher<OperatorAccount>().HashPassword(
        Decoy, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    private static readonly OperatorAccount Decoy = new()
    {
        Id = "", UserName = "", PasswordHash = "", Role = OperatorRole.Viewer, SecurityStamp = "", CreatedAt = DateTimeOffset.UnixEpoch,
    };

    public OperatorAccountOptions Options => options.Value;

    public async Task<SignInResult> SignInAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var account = userName.Length is > 0 and <= MaxUserNameLength ? await store.FindByUserNameAsync(userName, cancellationToken) : null;
        if (account is null)
        {
            _hasher.VerifyHashedPassword(Decoy, _decoyHash.Value, password);
            return new SignInResult(null, SignInRefusal.UnknownUser);
        }

        var now = time.GetUtcNow();
        if (account.LockedOutUntil is { } until && until > now)
        {
            return new SignInResult(account, SignInRefusal.LockedOut, until);
        }

        var verified = password.Length <= MaxPasswordLength
            ? _hasher.VerifyHashedPassword(account, account.PasswordHash, password)
            : PasswordVerificationResult.Failed;
        if (verified == PasswordVerificationResult.Failed)
        {
            var outcome = await store.RecordFailedSignInAsync(
                account.Id, Options.MaxFailedSignIns, now.AddMinutes(Options.LockoutMinutes), cancellationToken);
            return new SignInResult(account, SignInRefusal.WrongPassword, outcome?.LockedOutUntil > now ? outcome.LockedOutUntil : null);
        }

        if (account.Disabled)
        {
            return new SignInResult(account, SignInRefusal.Disabled);
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await store.SetPasswordAsync(account.Id, _hasher.HashPassword(account, password), account.SecurityStamp, cancellationToken);
        }

        if (account.FailedSignIns > 0 || account.LockedOutUntil is not null)
        {
            await store.ResetFailedSignInsAsync(account.Id, cancellationToken);
        }

        return new SignInResult(account, SignInRefusal.None);
    }

    /// <summary>The rules a new user name and password must meet; empty when they do.</summary>
    public IReadOnlyList<AccountProblem> Check(string? userName, string? password)
    {
        var problems = new List<AccountProblem>();
        if (userName is not null && !IsValidUserName(userName))
        {
            problems.Add(new AccountProblem("UserName",
                $"The user name is 1 to {MaxUserNameLength} characters: letters, digits, '.', '-', '_' or '@'."));
        }

        if (password is not null)
        {
            if (password.Length < Options.MinPasswordLength || password.Length > MaxPasswordLength)
            {
                problems.Add(new AccountProblem("Password", $"The password is {Options.MinPasswordLength} to {MaxPasswordLength} characters."));
            }
            else if (userName is not null && password.Contains(userName.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new AccountProblem("Password", "The password must not contain the user name."));
            }
        }

        return problems;
    }

    public static bool IsValidUserName(string userName) =>
        userName.Length is > 0 and <= MaxUserNameLength
        && userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@');

    /// <summary>Creates an account; the problems when a rule is broken or the name is taken.</summary>
    public async Task<(OperatorAccount? Account, IReadOnlyList<AccountProblem> Problems)> CreateAsync(
        string? userName, string? password, OperatorRole role, CancellationToken cancellationToken, bool onlyIfNoAccounts = false)
    {
        var problems = Check(userName ?? "", password ?? "");
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var account = NewAccount(userName!, password!, role);
        bool inserted = onlyIfNoAccounts
            ? await store.InsertIfNoAccountsAsync(account, cancellationToken)
            : await store.InsertAsync(account, cancellationToken);
        return inserted
            ? (account, [])
            : (null, [onlyIfNoAccounts
                ? new AccountProblem("UserName", "An operator account exists already: this creates only the first one.")
                : new AccountProblem("UserName", "That user name is taken.")]);
    }

    public async Task<IReadOnlyList<AccountProblem>> SetPasswordAsync(string id, string? password, CancellationToken cancellationToken)
    {
        var account = await store.GetAsync(id, cancellationToken);
        if (account is null)
        {
            return [new AccountProblem("", "No such account.")];
        }

        var problems = Check(account.UserName, password ?? "");
        if (problems.Count > 0)
        {
            return problems;
        }

        return await store.SetPasswordAsync(id, _hasher.HashPassword(account, password!), NewStamp(), cancellationToken)
            ? []
            : [new AccountProblem("", "No such account.")];
    }

    public async Task<AccountProblem?> SetRoleAsync(string id, OperatorRole role, CancellationToken cancellationToken) =>
        await store.SetRoleAsync(id, role, NewStamp(), cancellationToken)
            ? null
            : new AccountProblem("Role", "No such account, or it is the last admin (there must always be one).");

    public async Task<AccountProblem?> SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken) =>
        await store.SetDisabledAsync(id, disabled, NewStamp(), cancellationToken)
            ? null
            : new AccountProblem("", "No such account, or it is the last enabled admin (there must always be one).");

    public Task<OperatorAccount?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) => store.CountAsync(cancellationToken);

    private OperatorAccount NewAccount(string userName, string password, OperatorRole role)
    {
        var account = new OperatorAccount
        {
            Id = "op_" + Guid.NewGuid().ToString("N"),
            UserName = userName.Trim(),
            PasswordHash = "",
            Role = role,
            SecurityStamp = NewStamp(),
            CreatedAt = time.GetUtcNow(),
        };
        return account with { PasswordHash = _hasher.HashPassword(account, password) };
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string RoleName(OperatorRole role) => role switch
    {
        OperatorRole.Admin => "admin",
        OperatorRole.Operator => "operator",
        _ => "viewer",
    };

    public static bool TryParseRole(string? name, out OperatorRole role)
    {
        role = name?.Trim().ToLowerInvariant() switch
        {
            "admin" => OperatorRole.Admin,
            "operator" => OperatorRole.Operator,
            "viewer" => OperatorRole.Viewer,
            _ => 0,
        };
        return role != 0;
    }
}
