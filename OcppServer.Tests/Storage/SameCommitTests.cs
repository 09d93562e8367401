using Dapper;
using OcppServer.Authorization.Evidence;
using OcppServer.ChargePoints;
using OcppServer.Storage;
using OcppServer.Storage.Repositories;

using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>A status or a stop and what its observers write (the evidence discard) commit together or not at all.</summary>
public sealed class SameCommitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private ChargePointRepository _chargePoints = null!;
    private EvidenceRepository _evidence = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        _chargePoints = new ChargePointRepository(_database);
        _evidence = new EvidenceRepository(_database);
        await new StationRepository(_database).InsertAsync(new StationRow { Id = "ST", Name = "Station", CreatedAt = Now }, CancellationToken.None);
        await _chargePoints.InsertAsync(new NewChargePoint("CP", "ST", "Accepted", null, false), Now, CancellationToken.None);
        await _evidence.InsertVinReportAsync(new VinReportRow
        {
            ChargePointId = "CP", ConnectorId = 1, Vin = "WVWZZZ1JZXW000001", Protocol = "ISO15118-2", Valid = true, ReceivedAt = Now,
        }, transfer: null, CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task Available_discards_the_connectors_evidence_in_the_status_commit()
    {
        IConnectorStatusObserver lifecycle = new EvidenceLifecycle();
        var available = new ConnectorStatus(1, "Available", "NoError", null, null, null, Now);

        await _chargePoints.RecordStatusAsync("CP", available, occupied: false, Now, CancellationToken.None, (c, t) => lifecycle.OnStatus(c, t, "CP", available, Now));

        Assert.That(await LiveVinReportsAsync(), Is.Zero);
        Assert.That((await _chargePoints.GetConnectorsAsync("CP", CancellationToken.None)).Single().Status, Is.EqualTo("Available"));
    }

    [Test]
    public async Task A_failing_observer_leaves_neither_the_status_nor_the_discard()
    {
        IConnectorStatusObserver lifecycle = new EvidenceLifecycle();
        var available = new ConnectorStatus(1, "Available", "NoError", null, null, null, Now);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _chargePoints.RecordStatusAsync("CP", available, occupied: false, Now, CancellationToken.None, (c, t) =>
        {
            lifecycle.OnStatus(c, t, "CP", available, Now);
            throw new InvalidOperationException("observer failed");
        }));

        Assert.That(await LiveVinReportsAsync(), Is.EqualTo(1), "the discard rolled back with the status");
        Assert.That(await _chargePoints.GetConnectorsAsync("CP", CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task A_stop_discards_the_evidence_in_its_own_commit()
    {
        ITransactionStopObserver lifecycle = new EvidenceLifecycle();
        var stop = new TransactionStop("CP", 99, 1200, Now, "Local", null);

        bool known = await new TransactionRepository(_database).StopAsync(stop, [], Now, CancellationToken.None, (c, t) => lifecycle.OnTransactionStopped(c, t, "CP", 1, 99, Now));

        Assert.That(known, Is.False, "transaction 99 is unknown and kept as unmatched");
        Assert.That(await LiveVinReportsAsync(), Is.Zero);
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM unmatched_stop_transactions"), CancellationToken.None), Is.EqualTo(1));
    }

    private Task<long> LiveVinReportsAsync() =>
        _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM vin_reports WHERE discarded_at IS NULL"), CancellationToken.None);
}
