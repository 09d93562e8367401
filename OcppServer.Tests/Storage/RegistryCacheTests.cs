using OcppServer.ChargePoints;
using OcppServer.Registry;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>Registry rows are cached for the decisions, and every registry write is seen by the next lookup.</summary>
public sealed class RegistryCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task A_blocked_id_tag_is_seen_blocked_by_the_next_lookup()
    {
        var tags = new SqlIdTagStore(_database);
        await tags.InsertAsync(new IdTagRecord { IdTag = "TAG1", Status = "Accepted", CreatedAt = Now, UpdatedAt = Now }, None);
        var before = await tags.GetAsync("TAG1", None);

        await tags.UpdateAsync(before! with { Status = "Blocked" }, None);

        Assert.That((await tags.GetAsync("TAG1", None))!.Status, Is.EqualTo("Blocked"));
    }

    [Test]
    public async Task A_blocked_driver_and_a_blocked_vehicle_are_seen_by_the_next_lookup()
    {
        var (drivers, vehicles) = (new SqlDriverStore(_database), new SqlVehicleStore(_database));
        await drivers.InsertAsync(new DriverRecord { Id = "drv_1", Name = "Ada", CreatedAt = Now }, ["TAG1"], None);
        await vehicles.InsertAsync(new VehicleRecord { Id = "veh_1", Vin = "1M8GDM9AXKP042788", Plate = "AB123", OwnerDriverId = "drv_1", CreatedAt = Now }, [], None);
        Assert.That((await drivers.GetByIdTagAsync("TAG1", None))!.Blocked, Is.False);
        Assert.That((await vehicles.GetByVinAsync("1M8GDM9AXKP042788", None))!.Blocked, Is.False);

        await drivers.SetBlockedAsync("drv_1", true, None);
        await vehicles.SetBlockedAsync("veh_1", true, None);

        Assert.That((await drivers.GetByIdTagAsync("TAG1", None))!.Blocked, Is.True);
        Assert.That((await vehicles.GetByVinAsync("1M8GDM9AXKP042788", None))!.Blocked, Is.True);
    }

    [Test]
    public async Task Who_may_drive_a_vehicle_follows_its_registration()
    {
        var (drivers, vehicles) = (new SqlDriverStore(_database), new SqlVehicleStore(_database));
        await drivers.InsertAsync(new DriverRecord { Id = "drv_1", Name = "Ada", CreatedAt = Now }, ["TAG1"], None);
        await drivers.InsertAsync(new DriverRecord { Id = "drv_2", Name = "Bob", CreatedAt = Now }, ["TAG2"], None);
        Assert.That(await vehicles.MayDriveAsync("veh_1", "drv_2", None), Is.False);

        await vehicles.InsertAsync(new VehicleRecord { Id = "veh_1", Vin = "1M8GDM9AXKP042788", Plate = "AB123", OwnerDriverId = "drv_1", CreatedAt = Now }, ["drv_2"], None);

        Assert.That(await vehicles.MayDriveAsync("veh_1", "drv_2", None), Is.True);
        Assert.That(await vehicles.MayDriveAsync("veh_1", "drv_2", None), Is.True, "served again (from the cache)");
    }

    [Test]
    public async Task A_replaced_reader_key_stops_verifying_at_once()
    {
        await new SqlChargePointStore(_database).RegisterAsync(new NewChargePoint("CP", null, "Accepted", null, false), Now, None);
        var readers = new SqlBiometricReaderStore(_database);
        await readers.UpsertAsync(new BiometricReaderRecord { ChargePointId = "CP", KeyId = "old", PublicKeyPem = "PEM-OLD", UpdatedAt = Now }, None);
        Assert.That(await readers.GetByKeyIdAsync("old", None), Is.Not.Null);

        await readers.UpsertAsync(new BiometricReaderRecord { ChargePointId = "CP", KeyId = "new", PublicKeyPem = "PEM-NEW", UpdatedAt = Now }, None);

        Assert.That(await readers.GetByKeyIdAsync("old", None), Is.Null);
        Assert.That((await readers.GetByKeyIdAsync("new", None))!.PublicKeyPem, Is.EqualTo("PEM-NEW"));
    }

    [Test]
    public async Task A_row_read_while_a_write_committed_is_not_kept()
    {
        var cache = new RegistryCache();
        var loading = new TaskCompletionSource<string?>();
        int loads = 0;

        var first = cache.GetOrLoadAsync("kind", "key", () => { loads++; return loading.Task; });
        await cache.WriteAsync(Task.FromResult(true)); // committed while the read was in flight
        loading.SetResult("old row");
        string? second = await cache.GetOrLoadAsync("kind", "key", () => { loads++; return Task.FromResult<string?>("new row"); });

        Assert.That(await first, Is.EqualTo("old row"));
        Assert.That((second, loads), Is.EqualTo(("new row", 2)));
    }

    [Test]
    public async Task A_kept_row_is_served_without_loading_again()
    {
        var cache = new RegistryCache();
        int loads = 0;

        for (int i = 0; i < 3; i++)
        {
            await cache.GetOrLoadAsync("kind", "key", () => { loads++; return Task.FromResult<string?>("row"); });
        }

        Assert.That(loads, Is.EqualTo(1));
    }
}
