using OcppServer.ChargePoints;
using OcppServer.Registry;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;


namespace OcppServer.Tests.Storage;

/// <summary>The cached stations (of a charge point, by id) follow every committed change of a station.</summary>
public sealed class StationRepositoryCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private SqlStationStore _stations = null!;
    private SqlChargePointStore _chargePoints = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        _stations = new SqlStationStore(_database);
        _chargePoints = new SqlChargePointStore(_database);
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task A_policy_change_is_seen_by_the_next_lookup()
    {
        await _stations.InsertAsync(new StationRecord { Id = "ST-1", Name = "One", Policy = """{"requireVin":true}""", CreatedAt = Now }, CancellationToken.None);
        await _chargePoints.RegisterAsync(new NewChargePoint("CP-1", "ST-1", "Accepted", null, false), Now, CancellationToken.None);
        Assert.That((await _stations.GetForChargePointAsync("CP-1", CancellationToken.None))?.Policy, Does.Contain("true"));

        await _stations.SetPolicyAsync("ST-1", """{"requireVin":false}""", CancellationToken.None);

        Assert.That((await _stations.GetForChargePointAsync("CP-1", CancellationToken.None))?.Policy, Does.Contain("false"));
    }

    [Test]
    public async Task A_charge_point_registered_after_a_miss_is_found_in_its_station()
    {
        await _stations.InsertAsync(new StationRecord { Id = "ST-2", Name = "Two", CreatedAt = Now }, CancellationToken.None);
        Assert.That(await _stations.GetForChargePointAsync("CP-2", CancellationToken.None), Is.Null);

        await _chargePoints.RegisterAsync(new NewChargePoint("CP-2", "ST-2", "Accepted", null, false), Now, CancellationToken.None);

        Assert.That((await _stations.GetForChargePointAsync("CP-2", CancellationToken.None))?.Id, Is.EqualTo("ST-2"));
    }

    [Test]
    public async Task A_policy_change_is_seen_by_the_next_lookup_by_id()
    {
        await _stations.InsertAsync(new StationRecord { Id = "ST-3", Name = "Three", Policy = """{"requireVin":true}""", CreatedAt = Now }, CancellationToken.None);
        Assert.That((await _stations.GetAsync("ST-3", CancellationToken.None))?.Policy, Does.Contain("true"));

        await _stations.SetPolicyAsync("ST-3", """{"requireVin":false}""", CancellationToken.None);

        Assert.That((await _stations.GetAsync("ST-3", CancellationToken.None))?.Policy, Does.Contain("false"));
    }

    [Test]
    public async Task A_station_created_after_a_miss_is_found_by_id()
    {
        Assert.That(await _stations.GetAsync("ST-4", CancellationToken.None), Is.Null);

        await _stations.InsertAsync(new StationRecord { Id = "ST-4", Name = "Four", CreatedAt = Now }, CancellationToken.None);

        Assert.That((await _stations.GetAsync("ST-4", CancellationToken.None))?.Name, Is.EqualTo("Four"));
    }
}
