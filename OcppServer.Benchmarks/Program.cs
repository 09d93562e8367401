using OcppServer.Benchmarks;

return args.FirstOrDefault() switch
{
    "plates" => await PlateBenchmark.RunAsync(args[1..]),
    "read" => ReadFiles.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project OcppServer.Benchmarks -- plates [--count 500] [--seed 1] [--real ../shared/plates] [--dump DIR]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- read IMAGE...");
    return 2;
}
