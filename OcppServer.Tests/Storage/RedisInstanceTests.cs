using OcppServer.Tests.Infrastructure;
using StackExchange.Redis;

namespace OcppServer.Tests.Storage;

/// <summary>The private Redis server of the test run answers StackExchange.Redis (nodes will share state through Redis).</summary>
public sealed class RedisInstanceTests
{
    [Test]
    public async Task Redis_answers_a_ping_and_keeps_a_value()
    {
        var redis = await RedisInstance.GetAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var db = connection.GetDatabase();

        var latency = await db.PingAsync();
        await db.StringSetAsync("ocppauth:test", "value");

        Assert.That(latency, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        Assert.That((string?)await db.StringGetAsync("ocppauth:test"), Is.EqualTo("value"));
    }
}
