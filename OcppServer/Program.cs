using Microsoft.Extensions.Options;
using OcppServer;

try
{
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
