namespace OcppServer.Authorization.Decisions;

/// <summary>The log of every decision of the gate.</summary>
public interface IDecisionStore
{
    /// <summary>Records a decision in a commit of its own; returns its id.</summary>
    Task<long> InsertAsync(DecisionRecord decision, CancellationToken cancellationToken);

    /// <summary>The latest decisions, newest first, of one charge point or of all.</summary>
    Task<IReadOnlyList<DecisionRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken);

    /// <summary>The decisions linked to a transaction of the charge point (the StartTransaction's), newest first.</summary>
    Task<IReadOnlyList<DecisionRecord>> ListForTransactionAsync(string chargePointId, int transactionId, int limit, CancellationToken cancellationToken);

    /// <summary>How many decisions since <paramref name="since"/>, by result and reason (the overview's last hour).</summary>
    Task<IReadOnlyList<DecisionTally>> TallySinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>A count of decisions with one result and reason.</summary>
public sealed record DecisionTally(string Result, string Reason, long Count);
