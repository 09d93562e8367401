namespace OcppServer.Registry;

// The registry: what the operator registers and every decision reads. Reads of rows used on every decision are cached
// by the implementations and the cache is cleared once a registry write is committed.

/// <summary>Stations and their policies.</summary>
public interface IStationStore
{
    /// <summary>False when the id is taken.</summary>
    Task<bool> InsertAsync(StationRecord station, CancellationToken cancellationToken);

    Task<bool> SetPolicyAsync(string id, string? policy, CancellationToken cancellationToken);

    /// <summary>Sets (or, with null, clears) the station's plate region; false when the station does not exist.</summary>
    Task<bool> SetPlateRegionAsync(string id, string? plateRegion, CancellationToken cancellationToken);

    Task<StationRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<StationRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The station a charge point belongs to, if any.</summary>
    Task<StationRecord?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken);
}

/// <summary>Drivers, their id tags and their (encrypted) biometric templates.</summary>
public interface IDriverStore
{
    /// <summary>
    /// Creates the driver and links the id tags, creating (Accepted) those that do not exist yet. Returns the id tags
    /// already linked to another driver (nothing is written then).
    /// </summary>
    Task<IReadOnlyList<string>> InsertAsync(DriverRecord driver, IReadOnlyList<string> idTags, CancellationToken cancellationToken);

    Task<DriverRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<DriverRecord?> GetByIdTagAsync(string idTag, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetIdTagsAsync(string driverId, CancellationToken cancellationToken);

    Task<bool> SetBlockedAsync(string id, bool blocked, CancellationToken cancellationToken);

    Task InsertTemplateAsync(BiometricTemplateRecord template, CancellationToken cancellationToken);

    Task<IReadOnlyList<BiometricTemplateRecord>> GetAllTemplatesAsync(CancellationToken cancellationToken);

    Task<int> CountTemplatesAsync(string driverId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of drivers, newest first, with their id tags and template counts (never the templates); keyset paging:
    /// <paramref name="before"/> is the id of the last driver of the previous page.
    /// </summary>
    Task<IReadOnlyList<DriverSummary>> ListAsync(string? before, int limit, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}

/// <summary>Vehicles and who may drive them.</summary>
public interface IVehicleStore
{
    /// <summary>Inserts the vehicle with the drivers allowed to drive it; false when its id, VIN or plate is taken.</summary>
    Task<bool> InsertAsync(VehicleRecord vehicle, IReadOnlyList<string> authorizedDriverIds, CancellationToken cancellationToken);

    Task<VehicleRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<VehicleRecord?> GetByVinAsync(string vin, CancellationToken cancellationToken);

    Task<VehicleRecord?> GetByPlateAsync(string plate, CancellationToken cancellationToken);

    /// <summary>The registered plates among <paramref name="plates"/> (normalised).</summary>
    Task<IReadOnlyList<string>> ListPlatesAmongAsync(IReadOnlyCollection<string> plates, CancellationToken cancellationToken);

    /// <summary>The registered plates of one length: the fallback when a reading reaches too many plates to list.</summary>
    Task<IReadOnlyList<string>> ListPlatesOfLengthAsync(int length, CancellationToken cancellationToken);

    /// <summary>Owner and authorised drivers.</summary>
    Task<IReadOnlyList<string>> GetDriverIdsAsync(string vehicleId, CancellationToken cancellationToken);

    Task<bool> MayDriveAsync(string vehicleId, string driverId, CancellationToken cancellationToken);

    /// <summary>Vehicles the driver owns or may drive.</summary>
    Task<IReadOnlyList<VehicleRecord>> ListForDriverAsync(string driverId, CancellationToken cancellationToken);

    Task<bool> SetBlockedAsync(string id, bool blocked, CancellationToken cancellationToken);

    /// <summary>A page of vehicles, newest first; keyset paging: <paramref name="before"/> is the id of the last vehicle of the previous page.</summary>
    Task<IReadOnlyList<VehicleRecord>> ListAsync(string? before, int limit, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}

/// <summary>OCPP id tags and their status.</summary>
public interface IIdTagStore
{
    Task<IdTagRecord?> GetAsync(string idTag, CancellationToken cancellationToken);

    Task<IReadOnlyList<IdTagRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>False when the id tag already exists.</summary>
    Task<bool> InsertAsync(IdTagRecord idTag, CancellationToken cancellationToken);

    Task<bool> UpdateAsync(IdTagRecord idTag, CancellationToken cancellationToken);

    /// <summary>A page of id tags in id tag order; keyset paging: those after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<IdTagRecord>> ListAfterAsync(string? after, int limit, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}

/// <summary>Entrance cameras (their keys hashed).</summary>
public interface ICameraStore
{
    /// <summary>False when the id is taken.</summary>
    Task<bool> InsertAsync(CameraRecord camera, CancellationToken cancellationToken);

    Task<CameraRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<CameraRecord>> ListAsync(string? stationId, CancellationToken cancellationToken);

    Task RecordCaptureAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The biometric reader of each charge point: the public key its tokens are signed with.</summary>
public interface IBiometricReaderStore
{
    /// <summary>Sets the charge point's reader key; false when the key id belongs to another charge point's reader.</summary>
    Task<bool> UpsertAsync(BiometricReaderRecord reader, CancellationToken cancellationToken);

    Task<BiometricReaderRecord?> GetByKeyIdAsync(string keyId, CancellationToken cancellationToken);

    Task<BiometricReaderRecord?> GetForChargePointAsync(string chargePointId, CancellationToken cancellationToken);

    /// <summary>A page of readers in charge point order; keyset paging: those after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<BiometricReaderRecord>> ListAsync(string? after, int limit, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);
}
