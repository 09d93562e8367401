using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Storage;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// Migration 0018: every time column becomes INTEGER Unix epoch milliseconds (UTC). A database of 0017 holding ISO 8601
/// text in every time column of every table is converted exactly, keeping its rows, indexes, foreign keys and
/// AUTOINCREMENT sequence, and ends with the schema a new database gets.
/// </summary>
public sealed class EpochTimesMigrationTests
{
    private const string LastTextVersion = "0017_connector_sessions";
    private const string EpochVersion = "0018_times_as_epoch_milliseconds";
    private const string TextFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private static readonly DateTimeOffset MigratedAt = new(2027, 2, 3, 4, 5, 6, 789, TimeSpan.Zero);

    /// <summary>Every time column of the final schema, by table (schema_migrations is MigrationRunner's).</summary>
    private static readonly Dictionary<string, string[]> TimeColumns = new(StringComparer.Ordinal)
    {
        ["schema_migrations"] = ["applied_at"],
        ["charge_points"] = ["last_boot_at", "last_heartbeat_at", "firmware_status_at", "diagnostics_status_at", "created_at"],
        ["connectors"] = ["status_timestamp", "updated_at", "session_started_at"],
        ["status_history"] = ["status_timestamp", "received_at"],
        ["boot_history"] = ["received_at"],
        ["id_tags"] = ["expiry_date", "created_at", "updated_at"],
        ["transactions"] = ["start_timestamp", "stop_timestamp", "created_at", "stopped_at"],
        ["unmatched_stop_transactions"] = ["stop_timestamp", "received_at"],
        ["meter_values"] = ["timestamp", "received_at"],
        ["data_transfers"] = ["received_at"],
        ["firmware_diagnostics_history"] = ["received_at"],
        ["commands"] = ["sent_at", "completed_at"],
        ["message_log"] = ["logged_at"],
        ["stations"] = ["created_at"],
        ["drivers"] = ["created_at"],
        ["biometric_templates"] = ["created_at"],
        ["vehicles"] = ["created_at"],
        ["biometric_readers"] = ["updated_at"],
        ["cameras"] = ["last_capture_at", "created_at"],
        ["pre_verifications"] = ["captured_at", "created_at", "expires_at", "consumed_at"],
        ["vin_reports"] = ["received_at", "discarded_at"],
        ["biometric_tokens"] = ["issued_at", "expires_at", "received_at", "discarded_at"],
        ["token_replay"] = ["expires_at"],
        ["authorization_decisions"] = ["decided_at"],
        ["charge_point_hardening"] = ["answered_at"],
    };

    /// <summary>Time columns added after 0018, by the migrations that created them, as INTEGER epoch milliseconds from the start.</summary>
    private static readonly Dictionary<string, string[]> LaterTimeColumns = new(StringComparer.Ordinal)
    {
        ["security_events"] = ["occurred_at", "recorded_at"],
        ["revoked_certificates"] = ["revoked_at"],
        ["certificate_signing_requests"] = ["received_at", "updated_at"],
        ["maintenance_reports"] = ["received_at"],
        ["operator_accounts"] = ["created_at"],
        ["capture_passages"] = ["first_captured_at"],
        ["capture_frames"] = ["captured_at", "received_at"],
    };

    /// <summary>Times whose conversion is checked against integers written out here, not computed by .NET.</summary>
    private static readonly (string Text, long Milliseconds)[] KnownTimes =
    [
        ("2026-12-01T23:59:59.999Z", 1_796_169_599_999),
        ("1970-01-01T00:00:00.000Z", 0),
        ("2001-01-01T00:00:00.000Z", 978_307_200_000),
        ("1970-01-01T00:00:00.001Z", 1),
        ("2001-09-09T01:46:39.999Z", 999_999_999_999),
        ("2001-09-09T01:46:40.000Z", 1_000_000_000_000),
        ("2038-01-19T03:14:07.999Z", 2_147_483_647_999),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ];

    private TemporaryDatabase _temporary = null!;
    private SqliteDatabase _database = null!;
    private int _nextTime;

    [SetUp]
    public async Task SetUp()
    {
        _temporary = await TemporaryDatabase.CreateAsync(migrate: false);
        _database = _temporary.Database;
        _nextTime = 0;
        // As a database of an earlier version has it: applied_at declared TEXT.
        await _database.WriteAsync((c, t) => c.Execute(
            "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", transaction: t), CancellationToken.None);
        await Runner().ApplyAsync(LastTextVersion, CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown() => await _temporary.DisposeAsync();

    [Test]
    public async Task Every_time_of_a_0017_database_becomes_its_epoch_milliseconds_and_nothing_else_changes()
    {
        await FillEveryTableAsync();
        var before = await SnapshotAsync();
        Assert.That(before.Versions, Does.Not.Contain(EpochVersion).And.Contain(LastTextVersion));
        Assert.That(before.TextTimes, Is.EqualTo(before.NonNullTimes), "the fixture holds text in every time column");
        Assert.That(before.TimeColumnsWithValues, Is.EquivalentTo(AllTimeColumns()), "the fixture fills every time column");

        await Runner().ApplyAsync(EpochVersion, CancellationToken.None);

        var after = await SnapshotAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Versions, Does.Contain(EpochVersion));
            Assert.That(after.RowCounts, Is.EqualTo(before.RowCounts.ToDictionary(
                t => t.Key, t => t.Value + (t.Key == "schema_migrations" ? 1 : 0), StringComparer.Ordinal)), "row counts, and 0018's own");
            foreach (var (table, rows) in before.Rows)
            {
                Assert.That(after.Rows[table].Where(r => !r.StartsWith($"version=text:{EpochVersion}|", StringComparison.Ordinal)),
                    Is.EqualTo(rows.Select(r => Expected(table, r)).Order(StringComparer.Ordinal)), table);
            }

            Assert.That(after.IntegerTimes, Is.EqualTo(after.NonNullTimes), "typeof() of every stored time is 'integer'");
            Assert.That(after.TimeColumnsWithValues, Is.EquivalentTo(AllTimeColumns()));
            Assert.That(after.Indexes, Is.EqualTo(before.Indexes), "every index, partial ones with their WHERE, and the automatic ones");
            Assert.That(after.ForeignKeys, Is.EqualTo(before.ForeignKeys));
            Assert.That(after.Columns, Is.EqualTo(before.Columns), "names, order, NOT NULL, defaults and keys of every column");
            Assert.That(before.DeclaredTimeTypes.Values.Distinct(), Is.EqualTo(new[] { "TEXT" }));
            Assert.That(after.DeclaredTimeTypes.Values.Distinct(), Is.EqualTo(new[] { "INTEGER" }));
            Assert.That(after.Sequences, Is.EqualTo(before.Sequences), "the AUTOINCREMENT sequence carries on past deleted ids");
            Assert.That(after.TableNames, Is.EqualTo(before.TableNames), "no table left behind or missing");
        }

        foreach (var (text, milliseconds) in KnownTimes)
        {
            Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>(
                "SELECT logged_at FROM message_log WHERE frame = @frame", new { frame = "known " + text }), CancellationToken.None),
                Is.EqualTo(milliseconds), text);
        }

        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<long>(
            "SELECT applied_at FROM schema_migrations WHERE version = @EpochVersion", new { EpochVersion }), CancellationToken.None),
            Is.EqualTo(MigratedAt.ToUnixTimeMilliseconds()));
        Assert.That(await _database.WriteAsync((c, t) => c.ExecuteScalar<long>("PRAGMA foreign_keys", transaction: t), CancellationToken.None),
            Is.EqualTo(1), "foreign keys are enforced again once the migration is committed");
    }

    [Test]
    public async Task A_new_database_has_the_schema_of_a_migrated_one()
    {
        await FillEveryTableAsync();
        await Runner().ApplyAsync(CancellationToken.None);
        await using var fresh = await TemporaryDatabase.CreateAsync();

        var migrated = await SchemaAsync(_database);
        var created = await SchemaAsync(fresh.Database);

        Assert.That(created, Is.EqualTo(migrated));
        Assert.That(created, Has.Some.Contains("applied_at          INTEGER NOT NULL"));
    }

    [Test]
    public async Task Every_time_column_of_the_schema_is_listed_here()
    {
        // A time column added later is named like these: these lists, the migration and the PostgreSQL schema must follow.
        var later = LaterTimeColumns.SelectMany(t => t.Value.Select(c => $"{t.Key}.{c}")).ToHashSet(StringComparer.Ordinal);
        Assert.That(await SchemaTimeColumnsAsync(), Is.EquivalentTo(AllTimeColumns().Concat(later)));
        foreach (var (table, columns) in LaterTimeColumns)
        {
            foreach (string column in columns)
            {
                Assert.That(await DeclaredTypeAsync(table, column), Is.EqualTo("INTEGER"), $"{table}.{column}");
            }
        }
    }

    [Test]
    public async Task A_time_the_conversion_cannot_read_fails_the_migration_and_changes_nothing()
    {
        await FillEveryTableAsync();
        await ExecuteAsync("UPDATE cameras SET last_capture_at = 'last Tuesday' WHERE id = 'CAM2'");

        var failure = await Assert.ThrowsAsync<SqliteException>(() => Runner().ApplyAsync(CancellationToken.None));

        Assert.That(failure!.Message, Does.Contain("every_stored_time_is_readable_iso_8601"));
        var versions = await _database.ReadAsync(c => c.Query<string>("SELECT version FROM schema_migrations").AsList(), CancellationToken.None);
        Assert.That(versions, Does.Not.Contain(EpochVersion));
        Assert.That(await DeclaredTypeAsync("cameras", "created_at"), Is.EqualTo("TEXT"), "nothing rebuilt");
        Assert.That(await _database.ReadAsync(c => c.ExecuteScalar<string>("SELECT last_capture_at FROM cameras WHERE id = 'CAM2'"), CancellationToken.None),
            Is.EqualTo("last Tuesday"));
        Assert.That(await _database.WriteAsync((c, t) => c.ExecuteScalar<long>("PRAGMA foreign_keys", transaction: t), CancellationToken.None),
            Is.EqualTo(1));
    }

    private MigrationRunner Runner() => new(_database, new FixedTime(MigratedAt), NullLogger<MigrationRunner>.Instance);

    private static HashSet<string> AllTimeColumns() =>
        TimeColumns.SelectMany(t => t.Value.Select(c => $"{t.Key}.{c}")).ToHashSet(StringComparer.Ordinal);

    private string NextTime()
    {
        // Distinct per column and row, so a value copied into the wrong column shows.
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(++_nextTime * 86_400_001L + _nextTime * 7);
        return "'" + at.UtcDateTime.ToString(TextFormat, CultureInfo.InvariantCulture) + "'";
    }

    /// <summary>Rows in every table of 0017 with raw SQL, times as the text earlier versions wrote.</summary>
    private async Task FillEveryTableAsync()
    {
        string T() => NextTime();
        await ExecuteAsync($"""
            INSERT INTO charge_points (id, registration_status, vendor, last_boot_at, last_heartbeat_at, firmware_status, firmware_status_at,
                diagnostics_status, diagnostics_status_at, created_at, allow_unauthenticated, authorization_mode)
            VALUES ('CP1', 'Accepted', 'V', {T()}, {T()}, 'Installed', {T()}, 'Uploaded', {T()}, {T()}, 1, 'IdTagOnly');
            INSERT INTO charge_points (id, registration_status, created_at) VALUES ('CP2', 'Pending', {T()});
            INSERT INTO connectors (charge_point_id, connector_id, status, error_code, status_timestamp, updated_at, session_started_at)
            VALUES ('CP1', 1, 'Charging', 'NoError', {T()}, {T()}, {T()});
            INSERT INTO connectors (charge_point_id, connector_id, status, error_code, updated_at) VALUES ('CP1', 2, 'Available', 'NoError', {T()});
            INSERT INTO status_history (charge_point_id, connector_id, status, error_code, status_timestamp, received_at)
            VALUES ('CP1', 1, 'Charging', 'NoError', {T()}, {T()});
            INSERT INTO status_history (charge_point_id, connector_id, status, error_code, received_at) VALUES ('CP1', 2, 'Available', 'NoError', {T()});
            INSERT INTO boot_history (charge_point_id, vendor, model, result, received_at) VALUES ('CP1', 'V', 'M', 'Accepted', {T()});
            INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, created_at, updated_at) VALUES ('TAG1', 'Accepted', {T()}, 'GROUP', {T()}, {T()});
            INSERT INTO id_tags (id_tag, status, created_at, updated_at) VALUES ('TAG2', 'Blocked', {T()}, {T()});
            INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp, start_status, meter_stop,
                stop_timestamp, stop_reason, stop_id_tag, created_at, stopped_at, decision_id, pre_verification_id, vin_report_id,
                biometric_token_id, driver_id, vehicle_id)
            VALUES ('CP1', 1, 'TAG1', 10, {T()}, 'Accepted', 20, {T()}, 'Local', 'TAG1', {T()}, {T()}, 1, 'PV1', 1, 1, 'D1', 'V1');
            INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp, start_status, created_at)
            VALUES ('CP1', 1, 'TAG1', 30, {T()}, 'Accepted', {T()});
            INSERT INTO transactions (charge_point_id, connector_id, id_tag, meter_start, start_timestamp, start_status, created_at)
            VALUES ('CP1', 2, 'TAG2', 40, {T()}, 'Invalid', {T()});
            DELETE FROM transactions WHERE id = 3;
            INSERT INTO unmatched_stop_transactions (charge_point_id, transaction_id, id_tag, meter_stop, stop_timestamp, stop_reason, received_at)
            VALUES ('CP1', 99, 'TAG1', 5, {T()}, 'PowerLoss', {T()});
            INSERT INTO meter_values (charge_point_id, connector_id, transaction_id, source, timestamp, value, unit, received_at)
            VALUES ('CP1', 1, 1, 'MeterValues', {T()}, '15', 'Wh', {T()});
            INSERT INTO data_transfers (charge_point_id, vendor_id, message_id, data, status, received_at) VALUES ('CP1', 'v', 'm', '{"{}"}', 'Accepted', {T()});
            INSERT INTO firmware_diagnostics_history (charge_point_id, kind, status, received_at) VALUES ('CP1', 'Firmware', 'Installed', {T()});
            INSERT INTO commands (charge_point_id, action, request, response, outcome, sent_at, completed_at)
            VALUES ('CP1', 'Reset', '{"{}"}', '{"{}"}', 'Completed', {T()}, {T()});
            INSERT INTO stations (id, name, policy, created_at) VALUES ('ST1', 'Station', '{"{}"}', {T()});
            INSERT INTO drivers (id, name, blocked, created_at) VALUES ('D1', 'Driver', 0, {T()});
            INSERT INTO driver_id_tags (id_tag, driver_id) VALUES ('TAG1', 'D1');
            INSERT INTO biometric_templates (id, driver_id, modality, dimension, nonce, ciphertext, tag, created_at)
            VALUES ('BT1', 'D1', 'face', 3, X'0102', X'A0B0C0', X'FF', {T()});
            INSERT INTO vehicles (id, vin, plate, owner_driver_id, blocked, created_at) VALUES ('V1', 'WVWZZZ1JZXW000001', 'AB123', 'D1', 0, {T()});
            INSERT INTO vehicle_drivers (vehicle_id, driver_id) VALUES ('V1', 'D1');
            INSERT INTO biometric_readers (charge_point_id, key_id, public_key_pem, updated_at) VALUES ('CP1', 'K1', 'PEM', {T()});
            INSERT INTO cameras (id, station_id, key_hash, last_capture_at, created_at) VALUES ('CAM1', 'ST1', 'h', {T()}, {T()});
            INSERT INTO cameras (id, station_id, key_hash, created_at) VALUES ('CAM2', 'ST1', 'h2', {T()});
            INSERT INTO pre_verifications (id, station_id, camera_id, source, plate, verdict, confidence, vehicle_id, reasons, image_sha256,
                image_path, captured_at, created_at, expires_at, consumed_by_transaction_id, consumed_at)
            VALUES ('PV1', 'ST1', 'CAM1', 'Camera', 'AB123', 'Passed', 0.9, 'V1', '[]', 'abc', 'images/a.jpg', {T()}, {T()}, {T()}, 1, {T()});
            INSERT INTO pre_verifications (id, station_id, source, verdict, confidence, reasons, captured_at, created_at, expires_at)
            VALUES ('PV2', 'ST1', 'Attendant', 'Passed', 1, '[]', {T()}, {T()}, {T()});
            INSERT INTO captured_images (station_id, image_sha256, pre_verification_id) VALUES ('ST1', 'abc', 'PV1');
            INSERT INTO vin_reports (charge_point_id, connector_id, vin, valid, received_at, discarded_at) VALUES ('CP1', 1, 'WVWZZZ1JZXW000001', 1, {T()}, {T()});
            INSERT INTO vin_reports (charge_point_id, connector_id, vin, valid, received_at) VALUES ('CP1', 1, 'WVWZZZ1JZXW000001', 1, {T()});
            INSERT INTO biometric_tokens (charge_point_id, connector_id, jti, key_id, verified, matched_driver_id, similarity, reason,
                issued_at, expires_at, received_at, discarded_at, consumed_by_transaction_id)
            VALUES ('CP1', 1, 'j1', 'K1', 1, 'D1', 0.8, 'Matched', {T()}, {T()}, {T()}, {T()}, 1);
            INSERT INTO biometric_tokens (charge_point_id, connector_id, verified, reason, received_at) VALUES ('CP1', 1, 0, 'Malformed', {T()});
            INSERT INTO token_replay (key_id, jti, expires_at) VALUES ('K1', 'j1', {T()});
            INSERT INTO authorization_decisions (decided_at, charge_point_id, connector_id, id_tag, phase, result, reason, factors)
            VALUES ({T()}, 'CP1', 1, 'TAG1', 'Authorize', 'Accepted', 'Accepted', '[]');
            INSERT INTO charge_point_hardening (charge_point_id, setting, value, status, answered_at) VALUES ('CP1', 'LocalPreAuthorize', 'false', 'Accepted', {T()});
            UPDATE schema_migrations SET applied_at = {T()} WHERE version < '0010';
            """);

        // The conversion, exact to the millisecond over the whole range of years: known values, then a seeded sweep.
        var random = new Random(18);
        var sweep = Enumerable.Range(0, 3000)
            .Select(_ => DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(-2_000_000_000_000, 4_200_000_000_000)))
            .Select(at => at.UtcDateTime.ToString(TextFormat, CultureInfo.InvariantCulture));
        await _database.WriteAsync((c, t) => c.Execute(
            "INSERT INTO message_log (charge_point_id, direction, frame, logged_at) VALUES ('CP1', 'In', @Frame, @At)",
            KnownTimes.Select(k => new { Frame = "known " + k.Text, At = k.Text }).Concat(sweep.Select(s => new { Frame = "sweep", At = s })),
            t), CancellationToken.None);
    }

    private Task ExecuteAsync(string sql) => _database.WriteAsync((c, t) => c.Execute(sql, transaction: t), CancellationToken.None);

    private Task<string> DeclaredTypeAsync(string table, string column) => _database.ReadAsync(c => c.ExecuteScalar<string>(
        "SELECT type FROM pragma_table_info(@table) WHERE name = @column", new { table, column }), CancellationToken.None)!;

    /// <summary>The row as the test expects it after 0018: each time column's text replaced by its epoch milliseconds.</summary>
    private static string Expected(string table, string row)
    {
        if (!TimeColumns.TryGetValue(table, out var columns))
        {
            return row;
        }

        return string.Join("|", row.Split('|').Select(field =>
        {
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            string name = field[..equals];
            string value = field[(equals + 1)..];
            if (!columns.Contains(name) || value == "NULL")
            {
                return field;
            }

            string text = value["text:".Length..];
            long milliseconds = text.All(char.IsAsciiDigit)
                ? long.Parse(text, CultureInfo.InvariantCulture) // applied_at written by this version into the TEXT column
                : DateTimeOffset.ParseExact(text, TextFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
            return $"{name}=integer:{milliseconds}";
        }));
    }

    private async Task<Snapshot> SnapshotAsync() => await _database.ReadAsync(c =>
    {
        var tables = c.Query<string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").AsList();
        var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string table in tables)
        {
            var columns = c.Query<string>("SELECT name FROM pragma_table_info(@table) ORDER BY cid", new { table }).AsList();
            // typeof() with each value, so that text '15' and integer 15 differ.
            string select = string.Join(" || '|' || ", columns.Select(col =>
                $"'{col}=' || CASE WHEN \"{col}\" IS NULL THEN 'NULL' WHEN typeof(\"{col}\") = 'blob' THEN 'blob:' || hex(\"{col}\") ELSE typeof(\"{col}\") || ':' || \"{col}\" END"));
            rows[table] = c.Query<string>($"SELECT {select} FROM \"{table}\"").Order(StringComparer.Ordinal).ToList();
            counts[table] = c.ExecuteScalar<long>($"SELECT COUNT(*) FROM \"{table}\"");
        }

        long nonNull = 0, text = 0, integer = 0;
        var withValues = new HashSet<string>(StringComparer.Ordinal);
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (table, columns) in TimeColumns)
        {
            foreach (string column in columns)
            {
                var (n, t, i) = c.QuerySingle<(long, long, long)>(
                    $"SELECT COUNT(\"{column}\"), COUNT(CASE WHEN typeof(\"{column}\") = 'text' THEN 1 END), COUNT(CASE WHEN typeof(\"{column}\") = 'integer' THEN 1 END) FROM \"{table}\"");
                nonNull += n;
                text += t;
                integer += i;
                if (n > 0)
                {
                    withValues.Add($"{table}.{column}");
                }

                declared[$"{table}.{column}"] = c.ExecuteScalar<string>("SELECT type FROM pragma_table_info(@table) WHERE name = @column", new { table, column })!;
            }
        }

        return new Snapshot(
            tables,
            c.Query<string>("SELECT version FROM schema_migrations").AsList(),
            rows,
            counts,
            c.Query<string>("SELECT name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '(automatic)') FROM sqlite_schema WHERE type = 'index' ORDER BY name").AsList(),
            c.Query<string>(
                """
                SELECT m.name || '.' || p."from" || ' -> ' || p."table" || '(' || COALESCE(p."to", '') || ') ' || p.on_update || ' ' || p.on_delete || ' ' || p."match"
                FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table' ORDER BY 1
                """).AsList(),
            c.Query<string>(
                """
                SELECT m.name || '.' || p.cid || ' ' || p.name || ' notnull=' || p."notnull" || ' default=' || COALESCE(p.dflt_value, '-') || ' pk=' || p.pk
                FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid
                """).AsList(),
            c.Query<string>("SELECT name || '=' || seq FROM sqlite_sequence ORDER BY name").AsList(),
            declared,
            withValues,
            nonNull,
            text,
            integer);
    }, CancellationToken.None);

    private static Task<List<string>> SchemaAsync(SqliteDatabase database) => database.ReadAsync(c => c.Query<string>(
        "SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '(automatic)') FROM sqlite_schema ORDER BY type, name").AsList(),
        CancellationToken.None);

    private async Task<HashSet<string>> SchemaTimeColumnsAsync()
    {
        await Runner().ApplyAsync(CancellationToken.None);
        var columns = await _database.ReadAsync(c => c.Query<string>(
            """
            SELECT m.name || '.' || p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND (p.name LIKE '%\_at' ESCAPE '\' OR p.name LIKE '%timestamp%' OR p.name LIKE '%date%'
                OR p.name LIKE '%time%' OR p.name LIKE '%expir%')
            """).AsList(), CancellationToken.None);
        return columns.ToHashSet(StringComparer.Ordinal);
    }

    private sealed record Snapshot(
        List<string> TableNames,
        List<string> Versions,
        Dictionary<string, List<string>> Rows,
        Dictionary<string, long> RowCounts,
        List<string> Indexes,
        List<string> ForeignKeys,
        List<string> Columns,
        List<string> Sequences,
        Dictionary<string, string> DeclaredTimeTypes,
        HashSet<string> TimeColumnsWithValues,
        long NonNullTimes,
        long TextTimes,
        long IntegerTimes);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
