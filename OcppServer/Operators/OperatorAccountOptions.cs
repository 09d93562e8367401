namespace OcppServer.Operators;

/// <summary>Dashboard accounts: password rules, lockout, session length, and the first admin (section <c>Dashboard</c>).</summary>
public sealed class OperatorAccountOptions
{
    public const string Section = "Dashboard";

    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>A session ends after this long without a request (sliding).</summary>
    public int SessionMinutes { get; set; } = 480;

    public int MinPasswordLength { get; set; } = 12;

    /// <summary>
    /// Created as an admin on start while there is no account at all (e.g. <c>Dashboard__InitialAdmin__UserName</c> and
    /// <c>Dashboard__InitialAdmin__Password</c>); ignored once any account exists. The command line does the same:
    /// <c>./run.sh operator add NAME --role admin</c>.
    /// </summary>
    public InitialAdminOptions InitialAdmin { get; set; } = new();
}

public sealed class InitialAdminOptions
{
    public string? UserName { get; set; }

    public string? Password { get; set; }
}
