using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace OcppServer.Storage;

/// <summary>
/// An open <see cref="SqliteConnection"/> that keeps its prepared statements. Microsoft.Data.Sqlite compiles the SQL of
/// every new command again (dotnet/efcore#14044) and Dapper makes a new command per call; handing Dapper commands whose
/// statement is kept per SQL text saves that compilation on every query and write after the first. Used by one thread
/// at a time, like the connection under it.
/// </summary>
internal sealed class StatementCachingConnection(SqliteConnection inner) : DbConnection
{
    /// <summary>Distinct statements kept per connection; the repositories have fewer (Dapper's IN-list expansion adds a few).</summary>
    internal const int MaxCachedStatements = 256;

    /// <summary>Longer texts are scripts run once (migrations), not worth keeping.</summary>
    internal const int MaxCachedSqlLength = 4096;

    private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);
    private readonly Stack<CachedCommand> _idleCommands = new();

    // Dapper names parameters without their prefix ("id"); Microsoft.Data.Sqlite then looks each one up under the
    // bare name and then under every prefix, building a string and its UTF-8 copy each time. Our SQL uses '@' only.
    private readonly Dictionary<string, string> _prefixedNames = new(StringComparer.Ordinal);

    public SqliteConnection Inner => inner;

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => throw new NotSupportedException("The connection string of a cached connection is fixed");
    }

    public override string Database => inner.Database;

    public override string DataSource => inner.DataSource;

    public override string ServerVersion => inner.ServerVersion;

    public override ConnectionState State => inner.State;

    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

    public override void Open() => inner.Open();

    public override void Close() => inner.Close();

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    protected override DbCommand CreateDbCommand() => _idleCommands.TryPop(out var command) ? command.Reuse() : new CachedCommand(this);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _idle.Values)
            {
                command.Dispose();
            }

            _idle.Clear();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private SqliteCommand Rent(string sql)
    {
        if (_idle.Remove(sql, out var command))
        {
            return command;
        }

        command = inner.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private string Prefixed(string name)
    {
        if (name.Length == 0 || name[0] is '@' or '$' or ':')
        {
            return name;
        }

        if (!_prefixedNames.TryGetValue(name, out string? prefixed))
        {
            prefixed = "@" + name;
            if (_prefixedNames.Count < MaxCachedStatements * 4)
            {
                _prefixedNames[name] = prefixed;
            }
        }

        return prefixed;
    }

    private void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (command.CommandText.Length <= MaxCachedSqlLength && _idle.Count < MaxCachedStatements && _idle.TryAdd(command.CommandText, command))
        {
            return;
        }

        command.Dispose();
    }

    /// <summary>
    /// The command Dapper sees. The statement is taken from the cache when the text is set and given back when the
    /// command is disposed; the parameters, transaction and timeout stay with this command and are applied at execution,
    /// because Dapper keeps the parameter collection it was given while it rewrites the text (IN-list expansion).
    /// Disposed commands go back to their connection for the next call.
    /// </summary>
    private sealed class CachedCommand(StatementCachingConnection owner) : DbCommand
    {
        private readonly SqliteParameterCollection _parameters = new SqliteCommand().Parameters;
        private SqliteCommand? _statement;
        private DbTransaction? _transaction;
        private int _timeout = -1;
        private bool _idle;

        public CachedCommand Reuse()
        {
            _idle = false;
            return this;
        }

        [AllowNull]
        public override string CommandText
        {
            get => _statement?.CommandText ?? string.Empty;
            set
            {
                if (_statement is not null)
                {
                    owner.Return(_statement);
                }

                _statement = string.IsNullOrEmpty(value) ? null : owner.Rent(value);
            }
        }

        public override int CommandTimeout
        {
            get => _timeout >= 0 ? _timeout : _statement?.CommandTimeout ?? 0;
            set => _timeout = value;
        }

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text)
                {
                    throw new ArgumentException("SQLite runs text commands only", nameof(value));
                }
            }
        }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => owner;
            set => throw new NotSupportedException("A cached command stays on its connection");
        }

        protected override DbParameterCollection DbParameterCollection => _parameters;

        protected override DbTransaction? DbTransaction
        {
            get => _transaction;
            set => _transaction = value;
        }

        /// <summary>The cached statement with this command's parameters, transaction and timeout applied.</summary>
        private SqliteCommand Statement
        {
            get
            {
                var statement = _statement ?? throw new InvalidOperationException("Set CommandText first");
                // A transaction begun with SqliteConnection.BeginTransaction must be named; the group commit's is not one.
                statement.Transaction = _transaction as SqliteTransaction;
                if (_timeout >= 0)
                {
                    statement.CommandTimeout = _timeout;
                }

                statement.Parameters.Clear();
                foreach (SqliteParameter parameter in _parameters)
                {
                    parameter.ParameterName = owner.Prefixed(parameter.ParameterName);
                    statement.Parameters.Add(parameter);
                }

                return statement;
            }
        }

        public override void Cancel() => _statement?.Cancel();

        public override int ExecuteNonQuery() => Statement.ExecuteNonQuery();

        public override object? ExecuteScalar() => Statement.ExecuteScalar();

        public override void Prepare() => Statement.Prepare();

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Statement.ExecuteReader(behavior);

        protected override void Dispose(bool disposing)
        {
            if (!disposing || _idle)
            {
                return;
            }

            if (_statement is not null)
            {
                owner.Return(_statement);
                _statement = null;
            }

            _parameters.Clear();
            _transaction = null;
            _timeout = -1;
            _idle = true;
            if (owner._idleCommands.Count < 16)
            {
                owner._idleCommands.Push(this);
            }
        }
    }
}
