using System.Data;
using Dapper;
using OcppServer.Authorization.Evidence;
using OcppServer.ChargePoints;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// Times go through Dapper as integer Unix epoch milliseconds (UTC): any offset is stored as the instant it names and
/// read back in UTC, precision below the millisecond is truncated, and the stores' comparisons and orderings work on
/// the integers.
/// </summary>
public sealed class EpochTimeStorageTests
{
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

    private static IEnumerable<TestCaseData> Instants()
    {
        // Written with an offset: stored as the instant, in epoch milliseconds worked out by hand; read back in UTC.
        yield return new TestCaseData(new DateTimeOffset(2026, 3, 29, 2, 30, 15, 123, TimeSpan.FromHours(5.5)), 1_774_731_615_123L)
            .SetName("+05:30 is 2026-03-28T21:00:15.123Z");
        yield return new TestCaseData(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.FromHours(-11)), 1_767_261_600_000L)
            .SetName("-11:00 on New Year's Eve is 2026-01-01T10:00:00Z");
        yield return new TestCaseData(new DateTimeOffset(2026, 12, 2, 13, 59, 59, 999, TimeSpan.FromHours(14)), 1_796_169_599_999L)
            .SetName("+14:00 is 2026-12-01T23:59:59.999Z");
        yield return new TestCaseData(DateTimeOffset.UnixEpoch.ToOffset(TimeSpan.FromHours(-3)), 0L).SetName("the epoch at -03:00");
        yield return new TestCaseData(new DateTimeOffset(2001, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)), 978_307_200_000L).SetName("2001-01-01T00:00:00Z at +01:00");
        // Below the millisecond: truncated towards the earlier millisecond, before 1970 too.
        yield return new TestCaseData(new DateTimeOffset(2026, 3, 28, 21, 0, 15, 123, TimeSpan.Zero).AddTicks(9_999), 1_774_731_615_123L)
            .SetName("123.9999 ms is stored as 123 ms");
        yield return new TestCaseData(DateTimeOffset.UnixEpoch.AddTicks(-1), -1L).SetName("a tick before the epoch is stored as -1 ms");
    }

    [TestCaseSource(nameof(Instants))]
    public async Task A_time_is_stored_as_epoch_milliseconds_and_read_back_in_UTC(DateTimeOffset value, long milliseconds)
    {
        await _database.WriteAsync((c, t) => c.Execute(
            "INSERT INTO message_log (charge_point_id, direction, frame, logged_at) VALUES ('CP', 'In', 'x', @value)", new { value }, t),
            CancellationToken.None);

        var (stored, type) = await _database.ReadAsync(c => c.QuerySingle<(long, string)>("SELECT logged_at, typeof(logged_at) FROM message_log"),
            CancellationToken.None);
        var read = await _database.ReadAsync(c => c.QuerySingle<DateTimeOffset>("SELECT logged_at FROM message_log"), CancellationToken.None);
        var readNullable = await _database.ReadAsync(c => c.ExecuteScalar<DateTimeOffset?>("SELECT logged_at FROM message_log"), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((stored, type), Is.EqualTo((milliseconds, "integer")));
            Assert.That(read, Is.EqualTo(DateTimeOffset.UnixEpoch.AddMilliseconds(milliseconds)), "the same instant, to the millisecond");
            Assert.That(read.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(value - read, Is.GreaterThanOrEqualTo(TimeSpan.Zero).And.LessThan(TimeSpan.FromMilliseconds(1)));
            Assert.That(readNullable, Is.EqualTo(read));
        }
    }

    [Test]
    public async Task A_record_with_nullable_times_round_trips_through_a_store()
    {
        var at = new DateTimeOffset(2026, 5, 6, 7, 8, 9, 10, TimeSpan.FromHours(-7));
        await OpenSessionAsync("CP", 1, at.AddMinutes(-1));
        var evidence = new SqlEvidenceStore(_database);
        await evidence.InsertVinReportAsync(
            new VinReportRecord { ChargePointId = "CP", ConnectorId = 1, Vin = "WVWZZZ1JZXW000001", Valid = true, ReceivedAt = at.AddTicks(1234) },
            transfer: null, CancellationToken.None);

        var report = await evidence.GetLatestVinReportAsync("CP", 1, at.AddMinutes(-1), CancellationToken.None);

        Assert.That(report, Is.Not.Null);
        Assert.That((report!.ReceivedAt, report.ReceivedAt.Offset, report.DiscardedAt), Is.EqualTo((at, TimeSpan.Zero, (DateTimeOffset?)null)));
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<DateTimeOffset?>("SELECT discarded_at FROM vin_reports"), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task A_time_stored_as_text_is_refused_not_guessed()
    {
        await _database.WriteAsync((c, t) => c.Execute(
            "INSERT INTO message_log (charge_point_id, direction, frame, logged_at) VALUES ('CP', 'In', 'x', '2026-01-01T00:00:00.000Z')",
            transaction: t), CancellationToken.None);

        Assert.That(async () => await _database.ReadAsync(c => c.QuerySingle<DateTimeOffset>("SELECT logged_at FROM message_log"), CancellationToken.None),
            Throws.InstanceOf<DataException>().With.Message.Contains("epoch milliseconds"));
    }

    [Test]
    public async Task The_evidence_window_compares_instants_to_the_millisecond()
    {
        var sessionStart = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
        await OpenSessionAsync("CP", 1, sessionStart);
        var evidence = new SqlEvidenceStore(_database);
        var before = sessionStart.AddMilliseconds(-1); // received before the session: never counts
        var first = sessionStart;
        var second = sessionStart.AddSeconds(30).AddMilliseconds(1);
        foreach (var (vin, at) in new[] { ("WVWZZZ1JZXW000000", before), ("WVWZZZ1JZXW000001", first), ("WVWZZZ1JZXW000002", second) })
        {
            // Received in a charger's local time: compared as the instant it names.
            await evidence.InsertVinReportAsync(
                new VinReportRecord { ChargePointId = "CP", ConnectorId = 1, Vin = vin, Valid = true, ReceivedAt = at.ToOffset(TimeSpan.FromHours(9)) },
                transfer: null, CancellationToken.None);
        }

        async Task<string?> LatestSince(DateTimeOffset since) => (await evidence.GetLatestVinReportAsync("CP", 1, since, CancellationToken.None))?.Vin;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await LatestSince(before.AddHours(-1)), Is.EqualTo("WVWZZZ1JZXW000002"));
            Assert.That(await LatestSince(second.ToOffset(TimeSpan.FromHours(-5))), Is.EqualTo("WVWZZZ1JZXW000002"), "since is inclusive, in any offset");
            Assert.That(await LatestSince(second.AddMilliseconds(1)), Is.Null, "one millisecond later: nothing");
            Assert.That(await LatestSince(second.AddTicks(9_999)), Is.EqualTo("WVWZZZ1JZXW000002"), "truncated like the stored time: the same millisecond");
        }

        // The report from before the session is kept out by the session start, not by since.
        await _database.WriteAsync((c, t) => c.Execute("UPDATE vin_reports SET discarded_at = @first WHERE vin <> 'WVWZZZ1JZXW000000'", new { first }, t),
            CancellationToken.None);
        Assert.That(await LatestSince(before.AddHours(-1)), Is.Null);
    }

    [Test]
    public async Task Connectors_with_evidence_are_ordered_by_their_latest_evidence_as_numbers()
    {
        // 999999999999 and 1000000000000 ms: ordered as text they would swap.
        var session = DateTimeOffset.FromUnixTimeMilliseconds(999_999_000_000);
        await OpenSessionAsync("CP", 1, session);
        await OpenSessionAsync("CP", 2, session);
        await OpenSessionAsync("CP", 3, session);
        var evidence = new SqlEvidenceStore(_database);
        foreach (var (connector, milliseconds) in new[] { (1, 1_000_000_000_000L), (2, 999_999_999_999L), (3, 1_000_000_000_001L) })
        {
            await evidence.InsertVinReportAsync(
                new VinReportRecord
                {
                    ChargePointId = "CP", ConnectorId = connector, Vin = "WVWZZZ1JZXW000001", Valid = true,
                    ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds),
                },
                transfer: null, CancellationToken.None);
        }

        var connectors = await evidence.GetConnectorsWithEvidenceAsync("CP", session, CancellationToken.None);

        Assert.That(connectors, Is.EqualTo(new[] { 3, 1, 2 }));
    }

    [Test]
    public async Task Expired_jtis_are_purged_by_comparing_instants()
    {
        var now = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);
        await _database.WriteAsync((c, t) => c.Execute(
            "INSERT INTO token_replay (key_id, jti, expires_at) VALUES ('K', @jti, @expiresAt)",
            new[]
            {
                new { jti = "expired", expiresAt = now.AddMilliseconds(-1).ToOffset(TimeSpan.FromHours(2)) },
                new { jti = "expiring now", expiresAt = now },
                new { jti = "live", expiresAt = now.AddMilliseconds(1).ToOffset(TimeSpan.FromHours(-2)) },
            }, t), CancellationToken.None);

        int purged = await new SqlEvidenceStore(_database).PurgeExpiredJtisAsync(now.ToOffset(TimeSpan.FromHours(3)), CancellationToken.None);

        Assert.That(purged, Is.EqualTo(1));
        Assert.That(await _database.ReadAsync(c => c.Query<string>("SELECT jti FROM token_replay ORDER BY expires_at").AsList(), CancellationToken.None),
            Is.EqualTo(new[] { "expiring now", "live" }));
    }

    private async Task OpenSessionAsync(string chargePointId, int connectorId, DateTimeOffset at)
    {
        var chargePoints = new SqlChargePointStore(_database);
        await chargePoints.RegisterAsync(new NewChargePoint(chargePointId, null, "Accepted", null, AllowUnauthenticated: true), at, CancellationToken.None);
        await chargePoints.RecordStatusAsync(
            chargePointId, new ConnectorStatus(connectorId, "Preparing", "NoError", null, null, null, at), vehicleAtConnector: true, at, CancellationToken.None);
    }
}
