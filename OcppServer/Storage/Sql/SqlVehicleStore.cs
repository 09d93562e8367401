using Dapper;

using OcppServer.Registry;

namespace OcppServer.Storage.Sql;

internal sealed class SqlVehicleStore(IRelationalDatabase database) : IVehicleStore
{
    /// <summary>Inserts the vehicle with the drivers allowed to drive it; false when its VIN or plate is taken.</summary>
    public Task<bool> InsertAsync(VehicleRecord vehicle, IReadOnlyList<string> authorizedDriverIds, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) =>
        {
            int inserted = c.Execute(
                """
                INSERT INTO vehicles (id, vin, plate, owner_driver_id, evcc_id, blocked, created_at)
                VALUES (@Id, @Vin, @Plate, @OwnerDriverId, @EvccId, @Blocked, @CreatedAt)
                ON CONFLICT DO NOTHING
                """, vehicle, t);
            if (inserted == 0)
            {
                return false;
            }

            foreach (string driverId in authorizedDriverIds.Append(vehicle.OwnerDriverId).Distinct())
            {
                c.Execute(
                    "INSERT INTO vehicle_drivers (vehicle_id, driver_id) VALUES (@vehicleId, @driverId)",
                    new { vehicleId = vehicle.Id, driverId }, t);
            }

            return true;
        }, cancellationToken));

    public Task<VehicleRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<VehicleRecord>("SELECT * FROM vehicles WHERE id = @id", new { id }), cancellationToken);

    public Task<VehicleRecord?> GetByVinAsync(string vin, CancellationToken cancellationToken) =>
        database.Registry.GetOrLoadAsync("vehicle_by_vin", vin, () => database.ReadAsync(c => c.QuerySingleOrDefault<VehicleRecord>(
            "SELECT * FROM vehicles WHERE vin = @vin", new { vin }), cancellationToken));

    public Task<VehicleRecord?> GetByPlateAsync(string plate, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefault<VehicleRecord>("SELECT * FROM vehicles WHERE plate = @plate", new { plate }), cancellationToken);

    /// <summary>The registered plates among <paramref name="plates"/> (normalised).</summary>
    public Task<IReadOnlyList<string>> ListPlatesAmongAsync(IReadOnlyCollection<string> plates, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(c => c.Query<string>(
            database.ForEngine("SELECT plate FROM vehicles WHERE plate IN @plates"), new { plates = plates.ToArray() }).AsList(), cancellationToken);

    /// <summary>The registered plates of one length: the fallback when a reading reaches too many plates to list.</summary>
    public Task<IReadOnlyList<string>> ListPlatesOfLengthAsync(int length, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(c => c.Query<string>(
            "SELECT plate FROM vehicles WHERE length(plate) = @length", new { length }).AsList(), cancellationToken);

    /// <summary>Owner and authorised drivers.</summary>
    public Task<IReadOnlyList<string>> GetDriverIdsAsync(string vehicleId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<string>>(c => c.Query<string>(
            "SELECT driver_id FROM vehicle_drivers WHERE vehicle_id = @vehicleId ORDER BY driver_id", new { vehicleId }).AsList(), cancellationToken);

    public async Task<bool> MayDriveAsync(string vehicleId, string driverId, CancellationToken cancellationToken) =>
        (bool)(await database.Registry.GetOrLoadAsync<object>("may_drive", vehicleId + "\n" + driverId, async () => await database.ReadAsync(
            c => c.ExecuteScalar<bool>(
                "SELECT EXISTS (SELECT 1 FROM vehicle_drivers WHERE vehicle_id = @vehicleId AND driver_id = @driverId)",
                new { vehicleId, driverId }), cancellationToken)))!;

    /// <summary>Vehicles the driver owns or may drive.</summary>
    public Task<IReadOnlyList<VehicleRecord>> ListForDriverAsync(string driverId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<VehicleRecord>>(c => c.Query<VehicleRecord>(
            "SELECT v.* FROM vehicles v JOIN vehicle_drivers d ON d.vehicle_id = v.id WHERE d.driver_id = @driverId ORDER BY v.id",
            new { driverId }).AsList(), cancellationToken);

    public Task<bool> SetBlockedAsync(string id, bool blocked, CancellationToken cancellationToken) =>
        database.Registry.WriteAsync(database.WriteAsync((c, t) => c.Execute(
            "UPDATE vehicles SET blocked = @blocked WHERE id = @id", new { id, blocked }, t) == 1, cancellationToken));

    public Task<IReadOnlyList<VehicleRecord>> ListAsync(string? before, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<VehicleRecord>>(c => c.Query<VehicleRecord>(
            """
            SELECT * FROM vehicles
            WHERE @before IS NULL
               OR created_at < (SELECT created_at FROM vehicles WHERE id = @before)
               OR (created_at = (SELECT created_at FROM vehicles WHERE id = @before) AND id < @before)
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """, new { before, limit }).AsList(), cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalar<int>("SELECT COUNT(*) FROM vehicles"), cancellationToken);
}
