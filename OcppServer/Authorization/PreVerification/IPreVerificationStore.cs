namespace OcppServer.Authorization.PreVerification;

/// <summary>Pre-verification records (what the entrance camera or an attendant saw) and the images they keep.</summary>
public interface IPreVerificationStore
{
    /// <summary>
    /// Stores the record. One with an image first claims the image's SHA-256 at its station in the same commit; when the
    /// station has recorded those bytes before, <paramref name="ifReplayed"/> of the record is stored instead.
    /// </summary>
    Task<PreVerificationRecord> InsertAsync(
        PreVerificationRecord record, CancellationToken cancellationToken, Func<PreVerificationRecord, PreVerificationRecord>? ifReplayed = null);

    /// <summary>Records whose image is older than <paramref name="before"/> and still kept.</summary>
    Task<IReadOnlyList<PreVerificationRecord>> ListWithImagesBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    Task ForgetImageAsync(string id, CancellationToken cancellationToken);

    Task<PreVerificationRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The latest records, newest first, of one station or of all.</summary>
    Task<IReadOnlyList<PreVerificationRecord>> ListAsync(string? stationId, int limit, CancellationToken cancellationToken);

    /// <summary>The vehicle's most recent records (any station, any verdict), newest first.</summary>
    Task<IReadOnlyList<PreVerificationRecord>> ListRecentForVehicleAsync(string vehicleId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The newest Passed, unconsumed record at the station for one of the vehicles, created since <paramref name="since"/>.</summary>
    Task<PreVerificationRecord?> FindOpenPassedAsync(
        string stationId, IReadOnlyCollection<string> vehicleIds, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Whether any vehicle passed the station's entrance since <paramref name="since"/> and has not charged yet.</summary>
    Task<bool> AnyOpenPassedAsync(string stationId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>When the station's cameras last delivered an image (a camera that never did counts from its registration); null without cameras.</summary>
    Task<DateTimeOffset?> GetLastCameraActivityAsync(string stationId, CancellationToken cancellationToken);
}
