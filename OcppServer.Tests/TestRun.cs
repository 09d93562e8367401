using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests;

/// <summary>
/// What the whole test run shares and closes after its last test: a setup fixture in the namespace every test of this
/// assembly is in (OcppServer.Tests.*), so its teardown runs once, at the end.
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    /// <summary>Closes the browser of the browser tests (<see cref="Browser"/>), if one was started.</summary>
    [OneTimeTearDown]
    public Task CloseBrowser() => Browser.ShutdownAsync();
}
