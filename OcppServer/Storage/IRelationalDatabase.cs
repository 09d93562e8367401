using System.Data.Common;

namespace OcppServer.Storage;

/// <summary>
/// The engine under the stores (SQLite by default, PostgreSQL for several nodes). Only <c>Storage/</c> sees it: the
/// domain works with its store interfaces. Queries and writes are synchronous delegates over ADO.NET (Dapper): SQLite
/// has no asynchronous I/O, and one body of SQL serves every engine. A write's task completes only after the transaction
/// that holds it is committed; a write rolls back by throwing, and nothing it did is kept.
/// <para>
/// A write's delegate may run more than once: an engine with concurrent writers (PostgreSQL) rolls back a transaction
/// that failed on a serialization failure or a deadlock and runs the delegate again, on a new transaction. So a
/// delegate does its work through the connection it is given and nothing else: it must not change state outside its
/// own locals (no reassigned captured variables or parameters, no mutated captured objects, no I/O, no signalling,
/// no callbacks with effects) before its task completes, and it decides from what it reads in its transaction, never
/// from what an earlier run of itself left behind.
/// </para>
/// </summary>
public interface IRelationalDatabase
{
    /// <summary>Registry rows read on every decision; the registry stores keep it in step with their writes.</summary>
    RegistryCache Registry { get; }

    /// <summary>Runs a query on a connection of its own (outside any write).</summary>
    Task<T> ReadAsync<T>(Func<DbConnection, T> query, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction; completes once that transaction is committed.</summary>
    Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, T> work, CancellationToken cancellationToken);

    /// <summary>
    /// A write that is one statement, or a few separated by <c>;</c> that commit together or not at all: what most writes
    /// are. It needs no transaction of the caller's, so an engine can send it in one round trip (PostgreSQL runs a batch
    /// in one implicit transaction); completes once committed, with the rows affected. Rerun like any write.
    /// </summary>
    Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken);

    /// <summary>As <see cref="ExecuteAsync"/>, for a statement that returns a value (e.g. <c>INSERT ... RETURNING id</c>).</summary>
    Task<T> ExecuteScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken);

    /// <summary>Whether a write failed on a unique (or primary key) constraint: how a store learns that a key was taken first.</summary>
    bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// The store's SQL as this engine takes it. The stores write one dialect, SQLite's and PostgreSQL's common ground;
    /// the one construct that differs is a list parameter: <c>x IN @list</c> (Dapper expands it into one parameter per
    /// item) is written <c>x = ANY(@list)</c> for PostgreSQL, where Npgsql sends the list as one array.
    /// </summary>
    string ForEngine(string sql);

    /// <summary>Runs <paramref name="work"/> in a transaction; completes once that transaction is committed.</summary>
    Task WriteAsync(Action<DbConnection, DbTransaction> work, CancellationToken cancellationToken);
}
