namespace OcppServer.Operators;

/// <summary>What an operator account may do in the dashboard. Stored by name (lower case); never rename one.</summary>
public enum OperatorRole
{
    /// <summary>Reads every page; changes nothing.</summary>
    Viewer = 1,

    /// <summary>Runs the station: remote commands, drivers, vehicles, id tags, plates entered by an attendant.</summary>
    Operator = 2,

    /// <summary>Everything, plus charge points, cameras, readers, station policies and operator accounts.</summary>
    Admin = 3,
}

/// <summary>A person who signs in to the dashboard. The password is held only as a hash (ASP.NET Core Identity's format).</summary>
public sealed record OperatorAccount
{
    public required string Id { get; init; }

    /// <summary>Unique without regard to case (compared in upper-invariant form, <see cref="NormalizedUserName"/>).</summary>
    public required string UserName { get; init; }

    public string NormalizedUserName => Normalize(UserName);

    public required string PasswordHash { get; init; }

    public required OperatorRole Role { get; init; }

    /// <summary>Failed sign-ins since the last successful one (or since the last lockout began).</summary>
    public int FailedSignIns { get; init; }

    /// <summary>Sign-in refused until this instant, whatever the password.</summary>
    public DateTimeOffset? LockedOutUntil { get; init; }

    /// <summary>A disabled account cannot sign in, and its open sessions end at their next request.</summary>
    public bool Disabled { get; init; }

    /// <summary>Changes whenever the password, role or disabled flag changes: a session cookie carrying an old stamp ends.</summary>
    public required string SecurityStamp { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();
}

/// <summary>The outcome of counting one failed sign-in (atomically, in the store).</summary>
/// <param name="FailedSignIns">The count after this failure (0 when this failure started a lockout).</param>
/// <param name="LockedOutUntil">Set when this failure (or an earlier one) locked the account.</param>
public sealed record FailedSignInOutcome(int FailedSignIns, DateTimeOffset? LockedOutUntil);
