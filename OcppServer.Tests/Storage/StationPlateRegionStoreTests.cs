using OcppServer.Registry;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;
using OcppServer.Vision;

namespace OcppServer.Tests.Storage;

/// <summary>
/// A station's plate region on both engines: stored at creation, changed and cleared (migration 0028), each change seen
/// by the next (cached) read, and turned into the station's format order by <see cref="StationPlateFormats"/>.
/// </summary>
[TestFixture(EngineDatabase.Sqlite)]
[TestFixture(EngineDatabase.PostgreSql)]
public sealed class StationPlateRegionStoreTests(string engine)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private EngineDatabase _engine = null!;
    private SqlStationStore _stations = null!;
    private StationPlateFormats _formats = null!;

    [OneTimeSetUp]
    public async Task OpenDatabase()
    {
        _engine = await EngineDatabase.CreateAsync(engine);
        _stations = new SqlStationStore(_engine.Database);
        _formats = new StationPlateFormats(_stations, new PlateFormatOrders(PlateFormatCatalogue.BuiltIn, ["AT"]));
    }

    [OneTimeTearDown]
    public async Task CloseDatabase()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Test]
    public async Task The_plate_region_is_stored_changed_and_cleared_and_decides_the_format_order()
    {
        string id = $"ST-{Guid.NewGuid():N}";
        await _stations.InsertAsync(new StationRecord { Id = id, Name = "Gate", PlateRegion = "DE", CreatedAt = Now }, CancellationToken.None);
        Assert.That((await _stations.GetAsync(id, CancellationToken.None))!.PlateRegion, Is.EqualTo("DE"));
        Assert.That((await _formats.ForStationAsync(id, CancellationToken.None)).Region, Is.EqualTo("DE"));

        Assert.That(await _stations.SetPlateRegionAsync(id, "US-CA", CancellationToken.None), Is.True);
        Assert.That((await _stations.GetAsync(id, CancellationToken.None))!.PlateRegion, Is.EqualTo("US-CA"), "the cache follows the change");
        var order = await _formats.ForStationAsync(id, CancellationToken.None);
        Assert.That(order.Formats[0].Format.Name, Is.EqualTo("US-CA"));

        Assert.That(await _stations.SetPlateRegionAsync(id, null, CancellationToken.None), Is.True);
        Assert.That((await _stations.GetAsync(id, CancellationToken.None))!.PlateRegion, Is.Null);
        order = await _formats.ForStationAsync(id, CancellationToken.None);
        Assert.That(order.Region, Is.Null);
        Assert.That(order.Formats.Select(f => f.Format.Name), Is.EqualTo(new[] { "AT", "Generic" }), "Vision:DefaultRegions, then the generic rule");

        Assert.That(await _stations.SetPlateRegionAsync("no-such-station", "DE", CancellationToken.None), Is.False);
        Assert.That((await _formats.ForStationAsync("no-such-station", CancellationToken.None)).Region, Is.Null);
    }

    [Test]
    public async Task A_station_created_without_a_region_has_none()
    {
        string id = $"ST-{Guid.NewGuid():N}";
        await _stations.InsertAsync(new StationRecord { Id = id, Name = "Gate", CreatedAt = Now }, CancellationToken.None);
        Assert.That((await _stations.ListAsync(CancellationToken.None)).Single(s => s.Id == id).PlateRegion, Is.Null);
    }
}
