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
        await new ChargePointRepository(_database).InsertAsync("CP", "ST", "Accepted", null, Now, CancellationToken.None);
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
        long first = await DecideAsync();
        long second = await DecideAsync();

        var won = await StartAsync(meterStart: 100, first, tokenId);
        var lost = await StartAsync(meterStart: 200, second, tokenId);

        Assert.That((won.StartStatus, won.EvidenceTaken), Is.EqualTo(("Accepted", false)));
        Assert.That((lost.StartStatus, lost.EvidenceTaken), Is.EqualTo(("Invalid", true)));
        var decisions = (await _decisions.ListAsync("CP", 10, CancellationToken.None)).ToDictionary(d => d.Id);
        Assert.That((decisions[first].TransactionId, decisions[first].Result, decisions[first].Reason), Is.EqualTo(((long?)won.TransactionId, "Accepted", "Accepted")));
        Assert.That((decisions[second].TransactionId, decisions[second].Result, decisions[second].Reason),
            Is.EqualTo(((long?)lost.TransactionId, "Invalid", "EvidenceAlreadyConsumed")));
    }

    private Task<long> DecideAsync() => _decisions.InsertAsync(new DecisionRow
    {
        DecidedAt = Now, ChargePointId = "CP", ConnectorId = 1, IdTag = "TAG", Phase = "StartTransaction", Result = "Accepted", Reason = "Accepted",
    }, CancellationToken.None);

    private Task<StartedTransaction> StartAsync(int meterStart, long decisionId, long tokenId) =>
        _transactions.StartAsync(
            new NewTransaction("CP", 1, "TAG", meterStart, Now, null, "Accepted"),
            new TransactionEvidence(decisionId, "pv_1", null, tokenId, null, null),
            statusIfEvidenceTaken: "Invalid",
            new DecisionLink(decisionId, "Accepted"),
            Now,
            CancellationToken.None);
}
