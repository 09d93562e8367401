using Dapper;
using OcppServer.Registry;
using OcppServer.Storage;
using OcppServer.Storage.Sql;
using OcppServer.Tests.Infrastructure;


namespace OcppServer.Tests.Storage;

/// <summary>
/// The lookups every decision makes must not slow down as a station's history grows: SQLite's plan for each one
/// seeks a partial index over the rows it can return, not every record of the station or charge point. Nor must the
/// back office's lists and the image retention.
/// </summary>
public sealed class DecisionLookupPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync();
        _database = _temporary.Database;
        await new SqlStationStore(_database).InsertAsync(new StationRecord { Id = "ST", Name = "Station", CreatedAt = Now }, CancellationToken.None);
        await _database.WriteAsync((c, t) =>
        {
            // A busy hour: many vehicles passed the entrance and charged (their records are consumed).
            c.Execute(
                """
                INSERT INTO pre_verifications (id, station_id, source, plate, verdict, confidence, vehicle_id, reasons, captured_at, created_at, expires_at, consumed_by_transaction_id)
                VALUES (@Id, 'ST', 'Attendant', @Plate, 'Passed', 1, @VehicleId, '[]', @At, @At, @At, @Id2)
                """,
                Enumerable.Range(0, 2000).Select(i => new { Id = $"pv_{i}", Plate = $"AB{i:D4}", VehicleId = $"veh_{i % 50}", At = Now.AddSeconds(-i), Id2 = i }),
                t);
        }, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public async Task Open_pre_verification_of_candidate_vehicles_seeks_the_open_records_index(int vehicles)
    {
        string inList = "(" + string.Join(", ", Enumerable.Range(0, vehicles).Select(i => $"'veh_{i}'")) + ")";
        string sql = SqlPreVerificationStore.FindOpenPassedSql.Replace("IN @vehicleIds", "IN " + inList, StringComparison.Ordinal);

        string plan = await PlanAsync(sql, new { stationId = "ST", since = Now.AddMinutes(-30) });

        Assert.That(plan, Does.Contain("USING INDEX ix_pre_verifications_open "));
    }

    [Test]
    public async Task Any_open_pre_verification_at_the_station_seeks_the_open_records_index()
    {
        string plan = await PlanAsync(SqlPreVerificationStore.AnyOpenPassedSql, new { stationId = "ST", since = Now.AddMinutes(-30) });

        Assert.That(plan, Does.Contain("USING INDEX ix_pre_verifications_open_station"));
    }

    [TestCase(SqlEvidenceStore.LatestVinReportSql)]
    [TestCase(SqlEvidenceStore.LatestBiometricTokenSql)]
    [TestCase(SqlEvidenceStore.ConnectorsWithEvidenceSql)]
    public async Task Live_evidence_lookups_seek_the_live_rows_index(string sql)
    {
        string plan = await PlanAsync(sql, new { chargePointId = "CP", connectorId = 1, since = Now.AddMinutes(-10) });

        Assert.That(plan, Does.Match("USING INDEX ix_(vin_reports|biometric_tokens)_live"));
        Assert.That(plan, Does.Not.Match("SCAN (vin_reports|biometric_tokens)"));
    }

    [TestCase(SqlTransactionStore.ListForChargePointSql, "ix_transactions_cp (charge_point_id=?)")]
    [TestCase(SqlDecisionStore.ListForChargePointSql, "ix_authorization_decisions_cp (charge_point_id=?)")]
    [TestCase(SqlPreVerificationStore.ListForStationSql, "ix_pre_verifications_station (station_id=?)")]
    [TestCase(SqlPreVerificationStore.ListSql, "ix_pre_verifications_created")]
    [TestCase(SqlPreVerificationStore.WithImagesBeforeSql, "ix_pre_verifications_images (created_at<?)")]
    public async Task Back_office_lists_and_image_retention_walk_an_index_not_the_whole_history(string sql, string index)
    {
        string plan = await PlanAsync(sql, new { chargePointId = "CP", stationId = "ST", before = Now, limit = 50 });

        Assert.That(plan, Does.Contain("USING INDEX " + index));
        Assert.That(plan, Does.Not.Contain("USE TEMP B-TREE FOR ORDER BY"), "sorting every row to return the first few");
    }

    private Task<string> PlanAsync(string sql, object parameters) =>
        _database.ReadAsync(c => string.Join("\n", c.Query("EXPLAIN QUERY PLAN " + sql, parameters).Select(row => (string)row.detail)), CancellationToken.None);
}
