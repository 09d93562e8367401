using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests;

/// <summary>
/// Stops the servers that tests started for the whole run (<see cref="PostgreSqlInstance"/>, <see cref="RedisInstance"/>)
/// once every test has run. In the root namespace of the tests, so NUnit runs it around all of them (a SetUpFixture
/// covers its own namespace and those below it).
/// </summary>
[SetUpFixture]
public sealed class TestServices
{
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        RedisInstance.StopShared();
        await PostgreSqlInstance.StopSharedAsync();
    }
}
