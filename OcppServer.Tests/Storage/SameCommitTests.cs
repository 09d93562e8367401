using Dapper;
using OcppServer.Authorization.Evidence;
using OcppServer.ChargePoints;
using OcppServer.Registry;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;
using OcppServer.Transactions;

namespace OcppServer.Tests.Storage;

/// <summary>A status or a stop that ends a connector's session and the discard of its evidence commit together or not at all.</summary>
public sealed class SameCommitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private SqlChargePointStore _chargePoints = null!;
    private SqlEvidenceStore _evidence = null!;
    private SqlTransactionStore _transactions = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        _chargePoints = new SqlChargePointStore(_database);
        _evidence = new SqlEvidenceStore(_database);
        _transactions = new SqlTransactionStore(_database);
        await new SqlStationStore(_database).InsertAsync(new StationRecord { Id = "ST", Name = "Station", CreatedAt = Now }, CancellationToken.None);
        await _chargePoints.RegisterAsync(new NewChargePoint("CP", "ST", "Accepted", null, false), Now, CancellationToken.None);
        await _chargePoints.RecordStatusAsync("CP", Status(1, "Preparing"), vehicleAtConnector: true, Now, CancellationToken.None);
        await InsertVinReportAsync(1);
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task Available_discards_the_connectors_evidence_in_the_status_commit()
    {
        await InsertVinReportAsync(2);

        await _chargePoints.RecordStatusAsync("CP", Status(1, "Available"), vehicleAtConnector: false, Now, CancellationToken.None);

        Assert.That(await LiveVinReportsAsync(1), Is.Zero);
        Assert.That(await LiveVinReportsAsync(2), Is.EqualTo(1), "another connector's evidence stays");
        Assert.That((await _chargePoints.GetConnectorsAsync("CP", CancellationToken.None)).Single(c => c.ConnectorId == 1).Status, Is.EqualTo("Available"));
    }

    [Test]
    public async Task A_status_whose_discard_fails_is_not_stored_either()
    {
        await _database.WriteAsync((c, t) => c.Execute(
            "CREATE TRIGGER fail_discard BEFORE UPDATE OF discarded_at ON vin_reports BEGIN SELECT RAISE(ABORT, 'no room'); END", transaction: t),
            CancellationToken.None);

        Assert.That(async () => await _chargePoints.RecordStatusAsync("CP", Status(1, "Available"), vehicleAtConnector: false, Now, CancellationToken.None),
            Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>());

        Assert.That(await LiveVinReportsAsync(1), Is.EqualTo(1), "the discard rolled back with the status");
        Assert.That((await _chargePoints.GetConnectorsAsync("CP", CancellationToken.None)).Single().Status, Is.EqualTo("Preparing"));
    }

    [Test]
    public async Task A_stop_discards_its_connectors_evidence_in_its_own_commit_and_a_resent_stop_discards_nothing()
    {
        var started = await _transactions.StartConsumingAsync(
            new NewTransaction("CP", 1, "TAG", 0, Now, null, "Accepted"), null, "Invalid", null, Now, CancellationToken.None);
        var stop = new TransactionStop("CP", started.TransactionId, 1200, Now, "Local", null);

        Assert.That(await _transactions.StopAsync(stop, [], Now, CancellationToken.None), Is.True);
        Assert.That(await LiveVinReportsAsync(1), Is.Zero);

        // The next driver's session begins; a late resend of the first stop must not wipe its evidence.
        await _chargePoints.RecordStatusAsync("CP", Status(1, "Preparing"), vehicleAtConnector: true, Now.AddSeconds(1), CancellationToken.None);
        await InsertVinReportAsync(1, Now.AddSeconds(2));
        Assert.That(await _transactions.StopAsync(stop, [], Now.AddSeconds(3), CancellationToken.None), Is.True);
        Assert.That(await LiveVinReportsAsync(1), Is.EqualTo(1));
    }

    [Test]
    public async Task A_stop_of_an_unknown_transaction_is_kept_as_unmatched_and_discards_nothing()
    {
        bool known = await _transactions.StopAsync(new TransactionStop("CP", 99, 1200, Now, "Local", null), [], Now, CancellationToken.None);

        Assert.That(known, Is.False);
        Assert.That(await LiveVinReportsAsync(1), Is.EqualTo(1));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM unmatched_stop_transactions"), CancellationToken.None), Is.EqualTo(1));
    }

    private static ConnectorStatus Status(int connectorId, string status) => new(connectorId, status, "NoError", null, null, null, Now);

    private Task<long> InsertVinReportAsync(int connectorId, DateTimeOffset? at = null) =>
        _evidence.InsertVinReportAsync(new VinReportRecord
        {
            ChargePointId = "CP", ConnectorId = connectorId, Vin = "WVWZZZ1JZXW000001", Protocol = "ISO15118-2", Valid = true, ReceivedAt = at ?? Now,
        }, transfer: null, CancellationToken.None);

    private Task<long> LiveVinReportsAsync(int connectorId) =>
        _database.ReadAsync(c => c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM vin_reports WHERE discarded_at IS NULL AND connector_id = @connectorId", new { connectorId }), CancellationToken.None);
}
