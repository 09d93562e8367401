namespace OcppServer.Authorization.Hardening;

/// <summary>What each charger last answered to each offline-bypass hardening setting.</summary>
public interface IHardeningStore
{
    /// <summary>Records the charger's answer for one setting, replacing its earlier answer.</summary>
    Task RecordAsync(HardeningAnswer answer, CancellationToken cancellationToken);

    Task<IReadOnlyList<HardeningAnswer>> GetAllAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<HardeningAnswer>> GetAsync(string chargePointId, CancellationToken cancellationToken);
}
