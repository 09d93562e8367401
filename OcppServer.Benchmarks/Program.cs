using OcppServer.Benchmarks;

// dotnet run -c Release --project OcppServer.Benchmarks -- <benchmark> [options]
return args.FirstOrDefault() switch
{
    "biometrics" => await BiometricBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: OcppServer.Benchmarks biometrics [--templates 10000] [--iterations 2000]");
    return 2;
}
