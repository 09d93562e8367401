using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OcppServer.Storage;
using OcppServer.Storage.PostgreSql;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Storage;

/// <summary>
/// The PostgreSQL migrations make the schema that the SQLite migrations make: the same tables, columns, nullability,
/// primary keys, identity columns, foreign keys, index names, unique and partial indexes. A migration added to one
/// engine and not the other fails here. Types are PostgreSQL's own: every time is bigint epoch milliseconds, flags are
/// boolean, and nothing is of a type the stores do not bind.
/// </summary>
public sealed partial class PostgreSqlSchemaTests
{
    private static readonly string[] FlagColumns = ["drivers.blocked", "vehicles.blocked", "vin_reports.valid", "biometric_tokens.verified", "charge_points.allow_unauthenticated", "operator_accounts.disabled"];

    private Schema _sqlite = null!;
    private Schema _postgreSql = null!;
    private IReadOnlyList<PgColumn> _pgColumns = null!;

    [OneTimeSetUp]
    public async Task ReadBothSchemas()
    {
        var instance = await PostgreSqlInstance.GetAsync();
        await using (var sqlite = await TemporaryDatabase.CreateAsync())
        {
            _sqlite = await sqlite.Database.ReadAsync(ReadSqliteSchema, CancellationToken.None);
        }

        await using var postgreSql = new PostgreSqlDatabase(Options.Create(new StorageOptions
        {
            Provider = StorageProvider.PostgreSql,
            PostgreSql = { ConnectionString = await instance.CreateDatabaseAsync() },
        }));
        await new PostgreSqlMigrationRunner(postgreSql, TimeProvider.System, NullLogger<PostgreSqlMigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        (_postgreSql, _pgColumns) = await postgreSql.ReadAsync(ReadPostgreSqlSchema, CancellationToken.None);
    }

    [Test]
    public void Both_engines_have_the_same_tables() =>
        Assert.That(_postgreSql.Tables.Keys, Is.EquivalentTo(_sqlite.Tables.Keys));

    [Test]
    public void Each_table_has_the_same_columns_keys_and_indexes_on_both_engines()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, sqlite) in _sqlite.Tables)
            {
                if (!_postgreSql.Tables.TryGetValue(name, out var postgreSql))
                {
                    continue; // reported by Both_engines_have_the_same_tables
                }

                Assert.That(postgreSql.Columns, Is.EquivalentTo(sqlite.Columns), $"{name}: columns (name, NOT NULL outside the primary key)");
                Assert.That(postgreSql.PrimaryKey, Is.EqualTo(sqlite.PrimaryKey), $"{name}: primary key");
                Assert.That(postgreSql.Identity, Is.EqualTo(sqlite.Identity), $"{name}: generated id (SQLite INTEGER PRIMARY KEY)");
                Assert.That(postgreSql.ForeignKeys, Is.EquivalentTo(sqlite.ForeignKeys), $"{name}: foreign keys");
                Assert.That(postgreSql.Indexes, Is.EquivalentTo(sqlite.Indexes), $"{name}: indexes");
            }
        });
    }

    [Test]
    public void Every_time_is_bigint_epoch_milliseconds_flags_are_boolean_and_transaction_ids_are_int32()
    {
        Assert.Multiple(() =>
        {
            foreach (var column in _pgColumns)
            {
                string qualified = $"{column.Table}.{column.Column}";
                Assert.That(column.Type, Is.AnyOf("text", "bigint", "integer", "boolean", "double precision", "bytea"), qualified);
                if (IsTime(column.Column))
                {
                    Assert.That(column.Type, Is.EqualTo("bigint"), $"{qualified} is a time: epoch milliseconds");
                }

                if (FlagColumns.Contains(qualified))
                {
                    Assert.That(column.Type, Is.EqualTo("boolean"), qualified);
                }

                if (qualified == "transactions.id" || (column.Column.EndsWith("transaction_id", StringComparison.Ordinal) && column.Table != "transactions"))
                {
                    Assert.That(column.Type, Is.EqualTo("integer"), $"{qualified}: OCPP transaction ids are int32");
                }
            }
        });
        Assert.That(_pgColumns.Count(c => c.Type == "boolean"), Is.EqualTo(FlagColumns.Length), "no other column is a flag");
    }

    private static bool IsTime(string column) => TimeColumn().IsMatch(column);

    [GeneratedRegex("(_at|_timestamp|^timestamp|^expiry_date)$")]
    private static partial Regex TimeColumn();

    private static Schema ReadSqliteSchema(System.Data.Common.DbConnection c)
    {
        var tables = new SortedDictionary<string, Table>(StringComparer.Ordinal);
        foreach (string table in c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            var columns = c.Query<(string Name, string Type, long NotNull, long Pk)>(
                "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@table)", new { table }).AsList();
            var primaryKey = columns.Where(x => x.Pk > 0).OrderBy(x => x.Pk).Select(x => x.Name).ToList();
            string? identity = primaryKey.Count == 1 && columns.Single(x => x.Name == primaryKey[0]).Type.Equals("INTEGER", StringComparison.OrdinalIgnoreCase)
                ? primaryKey[0]
                : null;
            var foreignKeys = c.Query<(string From, string Table, string To)>(
                "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(@table)", new { table }).Select(f => $"{f.From} -> {f.Table}({f.To})").ToList();
            var indexes = new List<string>();
            foreach (var index in c.Query<(string Name, long Unique, string Origin, long Partial)>(
                         "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@table)", new { table }))
            {
                var indexColumns = c.Query<string>("SELECT name FROM pragma_index_info(@name) ORDER BY seqno", new { name = index.Name }).ToList();
                switch (index.Origin)
                {
                    case "pk":
                        break; // compared as the primary key
                    case "u":
                        indexes.Add(UniqueConstraint(indexColumns));
                        break;
                    default:
                        indexes.Add(NamedIndex(index.Name, index.Unique != 0, indexColumns, index.Partial != 0));
                        break;
                }
            }

            tables[table] = new Table(
                columns.Where(x => x.Pk == 0).Select(x => Column(x.Name, x.NotNull != 0)).Concat(primaryKey.Select(x => Column(x, true))).ToList(),
                primaryKey, identity, foreignKeys, indexes);
        }

        return new Schema(tables);
    }

    private static (Schema, IReadOnlyList<PgColumn>) ReadPostgreSqlSchema(System.Data.Common.DbConnection c)
    {
        var allColumns = c.Query<PgColumn>(
            """
            SELECT table_name AS "Table", column_name AS "Column", data_type AS "Type", is_nullable = 'NO' AS "NotNull", is_identity = 'YES' AS "Identity"
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """).AsList();
        var indexRows = c.Query<(string Table, string Name, bool Unique, bool Primary, bool Partial, bool Constraint, string[] Columns)>(
            """
            SELECT t.relname::text, i.relname::text, x.indisunique, x.indisprimary, x.indpred IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'u'),
                   array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                         JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.n)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace s ON s.oid = t.relnamespace
            WHERE s.nspname = 'public'
            """).AsList();
        var foreignKeyRows = c.Query<(string Table, string From, string To, string ToColumn)>(
            """
            SELECT t.relname::text, a.attname::text, r.relname::text, ra.attname::text
            FROM pg_constraint k
            JOIN pg_class t ON t.oid = k.conrelid
            JOIN pg_class r ON r.oid = k.confrelid
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
            JOIN pg_namespace s ON s.oid = t.relnamespace
            WHERE k.contype = 'f' AND s.nspname = 'public'
            """).AsList();

        var tables = new SortedDictionary<string, Table>(StringComparer.Ordinal);
        foreach (var group in allColumns.GroupBy(x => x.Table))
        {
            var indexes = indexRows.Where(i => i.Table == group.Key).ToList();
            var primaryKey = indexes.Where(i => i.Primary).SelectMany(i => i.Columns).ToList();
            tables[group.Key] = new Table(
                group.Where(x => !primaryKey.Contains(x.Column)).Select(x => Column(x.Column, x.NotNull))
                    .Concat(primaryKey.Select(x => Column(x, true))).ToList(),
                primaryKey,
                group.SingleOrDefault(x => x.Identity)?.Column,
                foreignKeyRows.Where(f => f.Table == group.Key).Select(f => $"{f.From} -> {f.To}({f.ToColumn})").ToList(),
                indexes.Where(i => !i.Primary)
                    .Select(i => i.Constraint ? UniqueConstraint(i.Columns) : NamedIndex(i.Name, i.Unique, i.Columns, i.Partial)).ToList());
        }

        return (new Schema(tables), allColumns);
    }

    private static string Column(string name, bool notNull) => notNull ? $"{name} NOT NULL" : name;

    private static string UniqueConstraint(IEnumerable<string> columns) => $"UNIQUE ({string.Join(", ", columns)})";

    private static string NamedIndex(string name, bool unique, IEnumerable<string> columns, bool partial) =>
        $"{name}: {(unique ? "UNIQUE " : "")}({string.Join(", ", columns)}){(partial ? " WHERE ..." : "")}";

    private sealed record Schema(SortedDictionary<string, Table> Tables);

    private sealed record Table(
        IReadOnlyList<string> Columns, IReadOnlyList<string> PrimaryKey, string? Identity, IReadOnlyList<string> ForeignKeys, IReadOnlyList<string> Indexes);

    private sealed record PgColumn
    {
        public string Table { get; init; } = "";
        public string Column { get; init; } = "";
        public string Type { get; init; } = "";
        public bool NotNull { get; init; }
        public bool Identity { get; init; }
    }
}
