namespace OcppServer.Authorization.Decisions;

/// <summary>The log of every decision of the gate.</summary>
public interface IDecisionStore
{
    /// <summary>Records a decision in a commit of its own; returns its id.</summary>
    Task<long> InsertAsync(DecisionRecord decision, CancellationToken cancellationToken);

    /// <summary>The latest decisions, newest first, of one charge point or of all.</summary>
    Task<IReadOnlyList<DecisionRecord>> ListAsync(string? chargePointId, int limit, CancellationToken cancellationToken);
}
