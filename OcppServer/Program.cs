using OcppServer;

var app = OcppServerApp.Build(args);
await OcppServerApp.RunAsync(app);
