using OcppServer.Authorization.Decisions;

namespace OcppServer.Transactions;

/// <summary>Transactions and their meter values. Every write is committed before its task completes.</summary>
public interface ITransactionStore
{
    /// <summary>
    /// Stores a StartTransaction with the gate's <paramref name="decision"/> (recorded in the same commit, with the status
    /// finally stored, and linked to the transaction), consuming its <paramref name="evidence"/> (pre-verification record
    /// and biometric token) atomically: if another transaction consumed either first, this one is stored with
    /// <paramref name="statusIfEvidenceTaken"/> instead, nothing of its evidence is consumed, and
    /// <see cref="StartedTransaction.EvidenceTaken"/> is set. An identical start (same charge point, connector, idTag,
    /// meterStart and timestamp) while the first is still open is a resend: the open transaction is returned
    /// (<see cref="StartedTransaction.Created"/> false) and nothing is consumed.
    /// </summary>
    Task<StartedTransaction> StartConsumingAsync(
        NewTransaction start, TransactionEvidence? evidence, string statusIfEvidenceTaken, DecisionRecord? decision, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>The still open transaction an identical earlier StartTransaction created, if any (a resend).</summary>
    Task<StartedTransaction?> FindOpenByContentAsync(NewTransaction start, CancellationToken cancellationToken);

    /// <summary>Whether the id tag has an unfinished, accepted transaction.</summary>
    Task<bool> HasOpenTransactionAsync(string idTag, CancellationToken cancellationToken);

    /// <summary>How many accepted transactions are running (not stopped).</summary>
    Task<long> CountOpenAsync(CancellationToken cancellationToken);

    Task<bool> HasOpenTransactionOnConnectorAsync(string chargePointId, int connectorId, CancellationToken cancellationToken);

    Task<TransactionRecord?> GetAsync(int id, CancellationToken cancellationToken);

    /// <summary>The latest transactions, newest first, of one charge point or of all.</summary>
    Task<IReadOnlyList<TransactionRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// A page of transactions, newest first, older than <paramref name="before"/> (an id; null: from the newest), that
    /// match <paramref name="filter"/> (the dashboard's session list).
    /// </summary>
    Task<IReadOnlyList<TransactionRecord>> ListPageAsync(TransactionFilter filter, int? before, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<MeterValueRecord>> GetMeterValuesAsync(IReadOnlyCollection<int> transactionIds, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a StopTransaction with its transaction data; the transaction's connector session ends and its evidence is
    /// discarded in the same commit. Returns false when the transaction is unknown (the stop is then kept as unmatched).
    /// A resent stop stores nothing twice.
    /// </summary>
    Task<bool> StopAsync(TransactionStop stop, IReadOnlyList<MeterValueRecord> transactionData, DateTimeOffset now, CancellationToken cancellationToken);

    Task InsertMeterValuesAsync(IReadOnlyList<MeterValueRecord> values, CancellationToken cancellationToken);
}
