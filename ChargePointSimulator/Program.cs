using ChargePointSimulator.Cli;

return await SimulatorCommandLine.Create().Parse(args).InvokeAsync();
