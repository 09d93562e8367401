using Microsoft.Extensions.Options;
using OcppServer;
using OcppServer.Dashboard;

try
{
    // `operator add NAME --role admin` / `operator list`: manage dashboard accounts on this server's database, then exit.
    if (args.Length > 0 && args[0] == "operator")
    {
        var tool = OcppServerApp.Build(args[1..].Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')).ToArray());
        await OcppServerApp.PrepareAsync(tool, CancellationToken.None);
        return await FirstAdmin.RunCommandAsync(tool.Services, args[1..], Console.In, Console.Out, CancellationToken.None);
    }

    var app = OcppServerApp.Build(args);
    await OcppServerApp.RunAsync(app);
    return 0;
}
catch (Exception ex) when (ex is InsecureEndpointException or OptionsValidationException)
{
    // A configuration the server refuses to run with: said in one line, without a stack trace.
    await Console.Error.WriteLineAsync($"OcppServer: {ex.Message}");
    return 1;
}
