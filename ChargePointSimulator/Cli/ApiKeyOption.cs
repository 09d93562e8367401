using System.CommandLine;

namespace ChargePointSimulator.Cli;

/// <summary>
/// The operator key option shared by the commands. It falls back to the environment variable so the key need not
/// appear on a command line (where every local user can read it in the process list).
/// </summary>
public static class ApiKeyOption
{
    public const string EnvironmentVariable = "OCPPAUTH_API_KEY";

    public static Option<string?> Create(string description) => new("--api-key")
    {
        Description = $"{description}; default: the {EnvironmentVariable} environment variable",
        DefaultValueFactory = _ => FromEnvironment(),
    };

    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } key ? key : null;
}
