using Dapper;
using OcppServer.Authorization.Decisions;
using OcppServer.Authorization.Evidence;
using OcppServer.Authorization.PreVerification;
using OcppServer.ChargePoints;
using OcppServer.Registry;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;
using OcppServer.Transactions;

namespace OcppServer.Tests.Storage;

/// <summary>A started transaction consumes its evidence and links the gate's decision in one commit.</summary>
public sealed class TransactionStartTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private SqlTransactionStore _transactions = null!;
    private SqlDecisionStore _decisions = null!;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        _transactions = new SqlTransactionStore(_database);
        _decisions = new SqlDecisionStore(_database);
        await new SqlStationStore(_database).InsertAsync(new StationRecord { Id = "ST", Name = "Station", CreatedAt = Now }, CancellationToken.None);
        await new SqlChargePointStore(_database).RegisterAsync(new NewChargePoint("CP", "ST", "Accepted", null, false), Now, CancellationToken.None);
        await new SqlPreVerificationStore(_database).InsertAsync(new PreVerificationRecord
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
        long tokenId = await new SqlEvidenceStore(_database).InsertBiometricTokenAsync(
            new BiometricTokenRecord { ChargePointId = "CP", ConnectorId = 1, Jti = "j1", KeyId = "k", Verified = true, Reason = "BiometricMatched", ReceivedAt = Now },
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
    public async Task A_pre_verification_no_longer_Passed_is_not_consumed()
    {
        // A camera passage's later frame lowered the vote after the gate read the record: the start must not take it.
        await _database.WriteAsync((c, t) => c.Execute("UPDATE pre_verifications SET verdict = 'LowConfidence' WHERE id = 'pv_1'", transaction: t),
            CancellationToken.None);

        var start = await StartAsync(meterStart: 100, tokenId: 0);

        Assert.That((start.StartStatus, start.EvidenceTaken), Is.EqualTo(("Invalid", true)));
        var record = await new SqlPreVerificationStore(_database).GetAsync("pv_1", CancellationToken.None);
        Assert.That(record!.ConsumedByTransactionId, Is.Null);
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

    [Test]
    public async Task A_start_that_loses_one_item_gives_back_the_others_it_took()
    {
        var evidence = new SqlEvidenceStore(_database);
        long tokenId = await evidence.InsertBiometricTokenAsync(
            new BiometricTokenRecord { ChargePointId = "CP", ConnectorId = 1, Jti = "j1", KeyId = "k", Verified = true, Reason = "BiometricMatched", ReceivedAt = Now },
            transfer: null, CancellationToken.None);
        await new SqlPreVerificationStore(_database).InsertAsync(new PreVerificationRecord
        {
            Id = "pv_2", StationId = "ST", Source = "Attendant", Plate = "XY34ZZZ", Verdict = "Passed", Confidence = 1,
            CapturedAt = Now, CreatedAt = Now, ExpiresAt = Now.AddMinutes(30),
        }, CancellationToken.None);
        await StartAsync(meterStart: 100, tokenId);

        // pv_2 is free, the token is not: the start is refused and pv_2 stays free for its own vehicle.
        var lost = await _transactions.StartConsumingAsync(
            new NewTransaction("CP", 1, "TAG", 300, Now, null, "Accepted"), new TransactionEvidence("pv_2", null, tokenId, null, null),
            statusIfEvidenceTaken: "Invalid", Decision("CP"), Now, CancellationToken.None);

        Assert.That((lost.StartStatus, lost.EvidenceTaken), Is.EqualTo(("Invalid", true)));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long?>(
            "SELECT consumed_by_transaction_id FROM pre_verifications WHERE id = 'pv_2'"), CancellationToken.None), Is.Null);
        Assert.That((await _transactions.GetAsync(lost.TransactionId, CancellationToken.None))!.StartStatus, Is.EqualTo("Invalid"));
    }

    [Test]
    public async Task A_resend_of_an_open_start_returns_it_and_consumes_nothing_more()
    {
        var first = await StartAsync(meterStart: 100, tokenId: 0);
        var resend = await StartAsync(meterStart: 100, tokenId: 0);

        Assert.That((resend.TransactionId, resend.Created, resend.StartStatus), Is.EqualTo((first.TransactionId, false, first.StartStatus)));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>("SELECT COUNT(*) FROM transactions"), CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Starts_racing_for_the_same_evidence_consume_it_once()
    {
        // Many writes in flight at once end up in shared group commits: exactly one may take the record.
        var starts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => StartAsync(meterStart: 1000 + i, tokenId: 0))));

        Assert.That(starts.Count(s => s.StartStatus == "Accepted"), Is.EqualTo(1));
        Assert.That(starts.Count(s => s.EvidenceTaken), Is.EqualTo(39));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM transactions WHERE start_status = 'Accepted'"), CancellationToken.None), Is.EqualTo(1));
    }

    private static DecisionRecord Decision(string chargePointId) => new()
    {
        DecidedAt = Now, ChargePointId = chargePointId, ConnectorId = 1, IdTag = "TAG", Phase = "StartTransaction", Result = "Accepted", Reason = "Accepted",
    };

    /// <summary>A start consuming pv_1 and, unless <paramref name="tokenId"/> is 0, that biometric token.</summary>
    private Task<StartedTransaction> StartAsync(int meterStart, long tokenId) =>
        _transactions.StartConsumingAsync(
            new NewTransaction("CP", 1, "TAG", meterStart, Now, null, "Accepted"),
            new TransactionEvidence("pv_1", null, tokenId == 0 ? null : tokenId, null, null),
            statusIfEvidenceTaken: "Invalid",
            Decision("CP"),
            Now,
            CancellationToken.None);
}
