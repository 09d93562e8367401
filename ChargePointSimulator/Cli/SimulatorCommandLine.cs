using System.CommandLine;

namespace ChargePointSimulator.Cli;

/// <summary>The command line: <c>run</c>, <c>load</c>, <c>reader-key</c>, <c>demo</c> and <c>fuzz</c>.</summary>
public static class SimulatorCommandLine
{
    public static RootCommand Create() => new("OCPP 1.6J charge point simulator and load generator for OcppAuth")
    {
        RunCommand.Create(),
        LoadCommand.Create(),
        ReaderKeyCommand.Create(),
        DemoCommand.Create(),
        FuzzCommand.Create(),
    };
}
