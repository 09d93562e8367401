using OcppServer.Benchmarks;

// dotnet run -c Release --project OcppServer.Benchmarks -- <benchmark> [options]
return args.FirstOrDefault() switch
{
    "plates" => await PlateBenchmark.RunAsync(args[1..]),
    "plates-calibrate" => await PlateCalibration.RunAsync(args[1..]),
    "biometrics" => await BiometricBenchmark.RunAsync(args[1..]),
    "read" => ReadFiles.Run(args[1..]),
    "lpr-check" => LprCheck.Run(args[1..]),
    "vision-stages" => VisionStages.Run(args[1..]),
    "schemas" => SchemaBenchmark.Run(args[1..]),
    "transport-floor" => await TransportFloorServer.RunAsync(args[1..]),
    "dashboard-viewer" => await DashboardViewer.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project OcppServer.Benchmarks -- plates [--count 500] [--seed 1] [--real ../shared/plates] [--dump DIR]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- plates-calibrate [--count 500] [--seed 5000000] | --crops DIR (tools/lpr/export_crops.py)");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- biometrics [--templates 10000] [--iterations 2000]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- read IMAGE...");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- lpr-check [--model training/lpr/lpr.onnx]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- vision-stages [--count 60] [--seed 1]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- schemas [--iterations 20000]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- transport-floor [--urls http://127.0.0.1:8190]");
    Console.Error.WriteLine("       dotnet run -c Release --project OcppServer.Benchmarks -- dashboard-viewer --url http://127.0.0.1:8180 --user NAME --password PW [--seconds 60] [--pages 1]");
    return 2;
}
