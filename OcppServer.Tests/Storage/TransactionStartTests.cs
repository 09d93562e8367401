using Dapper;
using OcppServer.Storage;
using OcppServer.Storage.Repositories;

using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>A started transaction consumes its evidence and links the gate's decision in one commit.</summary>
public sealed class TransactionStartTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private TransactionRepository _transactions = null!;
    private DecisionRepository _decisions = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        _transactions = new TransactionRepository(_database);
        _decisions = new DecisionRepository(_database);
        await new StationRepository(_database).InsertAsync(new StationRow { Id = "ST", Name = "Station", CreatedAt = Now }, CancellationToken.None);
        await new ChargePointRepository(_database).InsertAsync(new NewChargePoint("CP", "ST", "Accepted", null, false), Now, CancellationToken.None);
        await new PreVerificationRepository(_database).InsertAsync(new PreVerificationRow
        {
            Id = "pv_1", StationId = "ST", Source = "Attendant", Plate = "AB12CDE", Verdict = "Passed", Confidence = 1,
            CapturedAt = Now, CreatedAt = Now, ExpiresAt = Now.AddMinutes(30),
        }, CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task The_second_start_on_the_same_evidence_is_stored_Invalid_and_its_decision_says_why()
    {
        long tokenId = await new EvidenceRepository(_database).InsertBiometricTokenAsync(
            new BiometricTokenRow { ChargePointId = "CP", ConnectorId = 1, Jti = "j1", KeyId = "k", Verified = true, Reason = "BiometricMatched", ReceivedAt = Now },
            transfer: null, CancellationToken.None);
        var won = await StartAsync(meterStart: 100, tokenId);
        var lost = await StartAsync(meterStart: 200, tokenId);

        Assert.That((won.StartStatus, won.EvidenceTaken), Is.EqualTo(("Accepted", false)));
        Assert.That((lost.StartStatus, lost.EvidenceTaken), Is.EqualTo(("Invalid", true)));
        var decisions = (await _decisions.ListAsync("CP", 10, CancellationToken.None)).ToDictionary(d => d.TransactionId ?? 0);
        Assert.That(decisions, Has.Count.EqualTo(2), "each start records the decision it answers");
        Assert.That((decisions[won.TransactionId].Result, decisions[won.TransactionId].Reason), Is.EqualTo(("Accepted", "Accepted")));
        Assert.That((decisions[lost.TransactionId].Result, decisions[lost.TransactionId].Reason), Is.EqualTo(("Invalid", "EvidenceAlreadyConsumed")));
        var stored = await _transactions.GetAsync(won.TransactionId, CancellationToken.None);
        Assert.That(stored!.DecisionId, Is.EqualTo(decisions[won.TransactionId].Id), "the transaction names its decision");
    }

    [Test]
    public async Task A_start_that_fails_leaves_no_decision_behind()
    {
        // The transaction's INSERT fails after the decision's (as on a full disk): the decision is rolled back with it.
        await _database.WriteAsync((c, t) => c.Execute(
            "CREATE TRIGGER fail_start BEFORE INSERT ON transactions BEGIN SELECT RAISE(ABORT, 'no room'); END", transaction: t),
            CancellationToken.None);

        Assert.That(async () => await StartAsync(meterStart: 100, tokenId: 0), Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>());
        Assert.That(await _decisions.ListAsync(null, 10, CancellationToken.None), Is.Empty);
    }

    private static DecisionRow Decision(string chargePointId) => new()
    {
        DecidedAt = Now, ChargePointId = chargePointId, ConnectorId = 1, IdTag = "TAG", Phase = "StartTransaction", Result = "Accepted", Reason = "Accepted",
    };

    private Task<StartedTransaction> StartAsync(int meterStart, long tokenId) =>
        _transactions.StartAsync(
            new NewTransaction("CP", 1, "TAG", meterStart, Now, null, "Accepted"),
            new TransactionEvidence("pv_1", null, tokenId, null, null),
            statusIfEvidenceTaken: "Invalid",
            Decision("CP"),
            Now,
            CancellationToken.None);
}
