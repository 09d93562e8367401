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

    /// <summary>
    /// Decisions matching <paramref name="filter"/>, newest first (by id), older than <paramref name="before"/> when given:
    /// a page of the dashboard's decision log (keyset paging).
    /// </summary>
    Task<IReadOnlyList<DecisionRecord>> ListAsync(DecisionFilter filter, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>One decision by its id.</summary>
    Task<DecisionRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>How many decisions since <paramref name="since"/>, by result and reason (the overview's last hour).</summary>
    Task<IReadOnlyList<DecisionTally>> TallySinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>A count of decisions with one result and reason.</summary>
public sealed record DecisionTally(string Result, string Reason, long Count);

/// <summary>
/// Which decisions a list holds; every criterion left null (or false) matches all. <see cref="RefusedOnly"/>: those not
/// Accepted. <see cref="StationId"/>: decisions of the station's charge points (as they belong to it now).
/// </summary>
public sealed record DecisionFilter
{
    public bool RefusedOnly { get; init; }
    public string? Reason { get; init; }
    public string? DriverId { get; init; }
    public string? StationId { get; init; }
    public string? ChargePointId { get; init; }
    public string? Phase { get; init; }
}
