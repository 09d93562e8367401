namespace ChargePointSimulator.Charger;

/// <summary>
/// The electric vehicle on the other end of the cable. Vin and EvccId are what the charger learns over ISO 15118 /
/// DIN 70121 when it is plugged in (used by the VehicleIdentification DataTransfer of the org.ocppauth extension).
/// </summary>
public interface IVehicle
{
    /// <summary>Vehicle identification number, when the vehicle shares it (ISO 15118-20 / plug and charge).</summary>
    string? Vin { get; }

    /// <summary>The EV communication controller id (its MAC address in ISO 15118-2).</summary>
    string? EvccId { get; }

    /// <summary>High-level communication protocol: "ISO15118-2", "ISO15118-20", "DIN70121", or null for basic AC charging.</summary>
    string? Protocol { get; }

    double StateOfChargePercent { get; }

    /// <summary>The power the vehicle draws when <paramref name="offeredWatts"/> are offered.</summary>
    double AcceptedPower(double offeredWatts);

    /// <summary>Energy delivered into the battery.</summary>
    void AddEnergy(double wattHours);
}

/// <summary>A battery with an on-board charger whose power tapers above 80 % state of charge.</summary>
public sealed class SimulatedVehicle(
    double batteryCapacityKWh = 60,
    double stateOfChargePercent = 30,
    double maxPowerWatts = 11_000,
    string? vin = null,
    string? evccId = null,
    string? protocol = null) : IVehicle
{
    private readonly Lock _lock = new();
    private double _stateOfCharge = stateOfChargePercent;

    public string? Vin { get; } = vin;

    public string? EvccId { get; } = evccId;

    public string? Protocol { get; } = protocol ?? (vin is null && evccId is null ? null : "ISO15118-2");

    public double BatteryCapacityKWh { get; } = batteryCapacityKWh;

    public double StateOfChargePercent
    {
        get
        {
            lock (_lock)
            {
                return _stateOfCharge;
            }
        }
    }

    public double AcceptedPower(double offeredWatts)
    {
        double soc = StateOfChargePercent;
        if (soc >= 100)
        {
            return 0;
        }

        double taper = soc <= 80 ? 1 : Math.Max(0.1, (100 - soc) / 20);
        return Math.Max(0, Math.Min(offeredWatts, maxPowerWatts * taper));
    }

    public void AddEnergy(double wattHours)
    {
        lock (_lock)
        {
            _stateOfCharge = Math.Min(100, _stateOfCharge + wattHours * 0.95 / (BatteryCapacityKWh * 10));
        }
    }
}
