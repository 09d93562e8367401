using Microsoft.Extensions.Options;
using OcppServer.Operators;

namespace OcppServer.Dashboard;

/// <summary>
/// The first admin: from configuration (<c>Dashboard:InitialAdmin</c>) at start, or from the command line
/// (<c>OcppServer operator add NAME --role admin</c>, password from standard input). Both create an account only
/// while none exists, in one statement, so two nodes starting together create one.
/// </summary>
public static partial class FirstAdmin
{
    public static async Task CreateFromConfigurationAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var initial = services.GetRequiredService<IOptions<OperatorAccountOptions>>().Value.InitialAdmin;
        var accounts = services.GetRequiredService<OperatorAccounts>();
        if (string.IsNullOrEmpty(initial.UserName) || string.IsNullOrEmpty(initial.Password))
        {
            if (await accounts.CountAsync(cancellationToken) == 0)
            {
                LogNoAccount(logger);
            }

            return;
        }

        var (account, problems) = await accounts.CreateAsync(initial.UserName, initial.Password, OperatorRole.Admin, cancellationToken, onlyIfNoAccounts: true);
        if (account is not null)
        {
            await services.GetRequiredService<AuditTrail>().RecordAsync(
                "configuration", "account.create", account.UserName, "first admin from Dashboard:InitialAdmin", "ok", null, cancellationToken);
            LogCreated(logger, account.UserName);
        }
        else if (problems.Any(p => p.Field == "Password" || (p.Field == "UserName" && !OperatorAccounts.IsValidUserName(initial.UserName))))
        {
            throw new OptionsValidationException(OperatorAccountOptions.Section, typeof(OperatorAccountOptions),
                problems.Select(p => $"{OperatorAccountOptions.Section}:InitialAdmin: {p.Message}"));
        }
    }

    /// <summary>
    /// <c>operator add NAME [--role viewer|operator|admin]</c> (password from standard input, one line) and
    /// <c>operator list</c>; the exit code, having said what happened on the console.
    /// </summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services, IReadOnlyList<string> args, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var accounts = services.GetRequiredService<OperatorAccounts>();
        if (args.Count >= 1 && args[0] == "list")
        {
            foreach (var a in await accounts.ListAsync(cancellationToken))
            {
                await output.WriteLineAsync($"{a.UserName}\t{OperatorAccounts.RoleName(a.Role)}\t{(a.Disabled ? "disabled" : "enabled")}");
            }

            return 0;
        }

        if (args.Count < 2 || args[0] != "add")
        {
            await output.WriteLineAsync("usage: operator add NAME [--role viewer|operator|admin]   (the password is read from standard input)\n       operator list");
            return 2;
        }

        string userName = args[1];
        var role = OperatorRole.Admin;
        for (int i = 2; i < args.Count; i++)
        {
            if (args[i] == "--role" && i + 1 < args.Count && OperatorAccounts.TryParseRole(args[i + 1], out role))
            {
                i++;
                continue;
            }

            await output.WriteLineAsync($"operator add: unknown or incomplete option {args[i]}");
            return 2;
        }

        if (!Console.IsInputRedirected && ReferenceEquals(input, Console.In))
        {
            await output.WriteAsync($"Password for {userName}: ");
        }

        string? password = ReadSecretLine(input);
        var (account, problems) = await accounts.CreateAsync(userName, password, role, cancellationToken);
        if (account is null)
        {
            foreach (var p in problems)
            {
                await output.WriteLineAsync($"operator add: {p.Message}");
            }

            return 1;
        }

        await services.GetRequiredService<AuditTrail>().RecordAsync(
            "command-line", "account.create", account.UserName, $"role {OperatorAccounts.RoleName(role)}", "ok", null, cancellationToken);
        await output.WriteLineAsync($"Created {OperatorAccounts.RoleName(role)} account {account.UserName}.");
        return 0;
    }

    private static string? ReadSecretLine(TextReader input)
    {
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
        {
            return input.ReadLine();
        }

        // Typed at a terminal: not echoed.
        var line = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return line.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length > 0)
                {
                    line.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                line.Append(key.KeyChar);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Created the first admin account {UserName} from Dashboard:InitialAdmin")]
    private static partial void LogCreated(ILogger logger, string userName);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "No dashboard account exists: create the first admin with `./run.sh operator add NAME --role admin` or Dashboard:InitialAdmin")]
    private static partial void LogNoAccount(ILogger logger);
}
