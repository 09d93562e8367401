using System.Data;
using Dapper;

namespace OcppServer.Storage;

/// <summary>
/// Times are stored as integers: Unix epoch milliseconds, UTC (INTEGER in SQLite, bigint in PostgreSQL), so that they
/// compare and sort as numbers on every engine (migration 0018 converted the ISO 8601 text of earlier versions). A
/// <see cref="DateTimeOffset"/> is stored as the instant it names, whatever its offset (the offset is not kept), and
/// read back in UTC (offset zero). Precision below the millisecond is truncated towards the earlier millisecond, as
/// <see cref="DateTimeOffset.ToUnixTimeMilliseconds"/> does (the text of earlier versions truncated the same way), so
/// a value written and one compared with it agree.
/// </summary>
internal static class DapperTypeHandlers
{
    public static void Register()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler()); // DateTimeOffset? too
    }

    /// <summary>The stored form of <paramref name="value"/>: Unix epoch milliseconds, sub-millisecond part truncated.</summary>
    public static long ToEpochMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <summary>The time a stored value names, in UTC.</summary>
    public static DateTimeOffset FromEpochMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = ToEpochMilliseconds(value);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            long milliseconds => FromEpochMilliseconds(milliseconds),
            int milliseconds => FromEpochMilliseconds(milliseconds),
            _ => throw new DataException(
                $"A time is stored as integer epoch milliseconds; found {value.GetType().Name} '{value}' (a database not migrated by 0018?)"),
        };
    }
}
