using System.Diagnostics;
using System.Net;
using ChargePointSimulator.Cli;
using ChargePointSimulator.Demo;

namespace ChargePointSimulator.Load;

/// <summary>
/// Registers what the journey workload needs before the connect phase, through the back-office API: the layered
/// station, and per charge point its registration in that station, its reader key, its driver (idTag, enrolled face)
/// and the driver's vehicle. Idempotent: 409 Conflict means it is there from an earlier run and is reused (a driver
/// that exists is taken as fully set up: enrolled and with its vehicle).
/// </summary>
public static class JourneySetup
{
    private const int Parallelism = 16;

    /// <summary>Sets everything up; returns how many chargers were set up new (the others existed).</summary>
    public static async Task<int> RunAsync(LoadOptions options, TextWriter? progress, CancellationToken cancellationToken)
    {
        var identities = new JourneyIdentities(options.IdPrefix);
        using var http = ChargePointRegistrar.CreateClient(
            EndpointGuard.ApiBaseFor(options.Url), options.ApiKey!, options.CaFile is { } caFile ? Ocpp.TlsCredentials.LoadRoots(caFile) : null);
        var api = new DemoBackOffice(http);
        var clock = Stopwatch.StartNew();
        try
        {
            if (!await CreatedAsync(() => api.CreateStationAsync(identities.StationId, $"Load station {identities.StationId}", JourneyIdentities.StationPolicy, cancellationToken)))
            {
                // Reused: make sure it still requires every factor (an earlier run or an operator may have changed it).
                await api.SetStationPolicyAsync(identities.StationId, JourneyIdentities.StationPolicy, cancellationToken);
            }

            progress?.WriteLine($"journey setup: station {identities.StationId} (pre-verification + biometric + VIN, autoStart off); " +
                                $"registering {options.Count} charge points, drivers and vehicles");
            int ready = 0, created = 0, printed = 0;
            int step = Math.Max(1, options.Count / 10);
            var gate = new Lock();
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (index, ct) =>
                {
                    if (await SetUpChargerAsync(api, options, identities, index, ct))
                    {
                        Interlocked.Increment(ref created);
                    }

                    Interlocked.Increment(ref ready);
                    if (progress is null)
                    {
                        return;
                    }

                    lock (gate)
                    {
                        int done = Volatile.Read(ref ready);
                        if (done - printed >= step || (done == options.Count && printed < done))
                        {
                            printed = done;
                            progress.WriteLine(FormattableString.Invariant(
                                $"journey setup: {done}/{options.Count} charge points ready ({Volatile.Read(ref created)} new) after {clock.Elapsed.TotalSeconds:0.0} s"));
                        }
                    }
                });
            return created;
        }
        catch (DemoStepException ex)
        {
            throw new HttpRequestException($"Journey setup: {ex.Message}", ex, ex.StatusCode);
        }
    }

    /// <summary>One charger's share; true when its driver was new (so enrolled and given a vehicle now).</summary>
    private static async Task<bool> SetUpChargerAsync(
        DemoBackOffice api, LoadOptions options, JourneyIdentities identities, int index, CancellationToken ct)
    {
        string chargePointId = options.ChargePointId(index);
        string password = ChargePointPasswords.For(options.ApiKey!, chargePointId);
        if (!await CreatedAsync(() => api.RegisterChargePointAsync(chargePointId, identities.StationId, password, ct)))
        {
            await api.SetChargePointPasswordAsync(chargePointId, password, ct);
            var existing = await api.GetChargePointAsync(chargePointId, ct);
            string? station = existing.TryGetProperty("stationId", out var s) ? s.GetString() : null;
            if (station != identities.StationId)
            {
                throw new DemoStepException(
                    $"charge point {chargePointId} exists in {(station is null ? "no station" : $"station {station}")}, not in {identities.StationId}: " +
                    "its journeys would not pass the layered gate; use another --id-prefix");
            }
        }

        using (var reader = identities.Reader(index))
        {
            await api.RegisterReaderAsync(chargePointId, reader.KeyId, reader.PublicKeyPem, ct); // an upsert: same key again is fine
        }

        string driverId;
        try
        {
            driverId = await api.CreateDriverAsync(identities.DriverName(index), identities.IdTag(index), ct);
        }
        catch (DemoStepException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            return false; // the idTag belongs to the driver an earlier run set up
        }

        await api.EnrollFaceAsync(driverId, identities.Templates.Enrolled(identities.PersonSeed(index)), ct);
        if (!await CreatedAsync(() => api.CreateVehicleAsync(identities.Vin(index), identities.Plate(index), driverId, ct)))
        {
            throw new DemoStepException(
                $"a vehicle with VIN {identities.Vin(index)} or plate {identities.Plate(index)} exists but belongs to another driver than the new " +
                $"{identities.IdTag(index)}; use another --id-prefix (or a fresh database)");
        }

        return true;
    }

    /// <summary>Runs a create call; false when the API answered 409 Conflict (it exists).</summary>
    private static async Task<bool> CreatedAsync(Func<Task> create)
    {
        try
        {
            await create();
            return true;
        }
        catch (DemoStepException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }
}
