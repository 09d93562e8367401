using System.Globalization;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Charger;

/// <summary>
/// The energy meter of one connector: a lifetime register in Wh that integrates the power drawn over time, plus the
/// instantaneous power, current and voltage that MeterValues report.
/// </summary>
public sealed class EnergyMeter(double registerWh, double nominalVoltage, int phases, Random noise)
{
    private readonly double _nominalVoltage = nominalVoltage;
    private DateTimeOffset? _lastUpdate;

    public double RegisterWh { get; private set; } = registerWh;

    public double PowerW { get; private set; }

    public double OfferedW { get; private set; }

    public double Voltage { get; private set; } = nominalVoltage;

    public int Phases { get; } = phases;

    public double CurrentA => PowerW / (Voltage * Phases);

    public int RegisterWhRounded => (int)Math.Round(RegisterWh, MidpointRounding.ToZero);

    /// <summary>Integrates the power since the last update into the register and the vehicle's battery.</summary>
    public void Advance(DateTimeOffset now, IVehicle? vehicle)
    {
        if (_lastUpdate is { } last && now > last && PowerW > 0)
        {
            double wattHours = PowerW * (now - last).TotalHours;
            RegisterWh += wattHours;
            vehicle?.AddEnergy(wattHours);
        }

        _lastUpdate = now;
    }

    /// <summary>Sets the power now flowing, after <see cref="Advance"/> has booked the energy up to now.</summary>
    public void SetPower(double offeredWatts, double drawnWatts)
    {
        OfferedW = offeredWatts;
        PowerW = drawnWatts;
        Voltage = Math.Round(_nominalVoltage + (noise.NextDouble() - 0.5) * 4, 1);
    }

    /// <summary>The sampled values of <paramref name="measurands"/> as MeterValues report them.</summary>
    public MeterValue Sample(DateTimeOffset timestamp, IEnumerable<string> measurands, string context, IVehicle? vehicle)
    {
        var values = new List<SampledValue>();
        foreach (string measurand in measurands)
        {
            var value = measurand switch
            {
                Measurands.EnergyActiveImportRegister => Value(RegisterWhRounded.ToString(CultureInfo.InvariantCulture), "Wh", "Outlet"),
                Measurands.PowerActiveImport => Value(Format(PowerW, 0), "W", "Outlet"),
                Measurands.PowerOffered => Value(Format(OfferedW, 0), "W", "Outlet"),
                Measurands.CurrentImport => Value(Format(CurrentA, 2), "A", "Outlet"),
                Measurands.CurrentOffered => Value(Format(OfferedW / (Voltage * Phases), 2), "A", "Outlet"),
                Measurands.Voltage => Value(Format(Voltage, 1), "V", "Outlet"),
                Measurands.Frequency => Value("50.0", null, "Outlet"),
                Measurands.Temperature => Value(Format(25 + PowerW / 1000, 1), "Celsius", "Body"),
                Measurands.SoC when vehicle is not null => Value(Format(vehicle.StateOfChargePercent, 0), "Percent", "EV"),
                _ => null,
            };
            if (value is not null)
            {
                values.Add(value with { Measurand = measurand, Context = context });
            }
        }

        return new MeterValue(timestamp, values);
    }

    private static SampledValue Value(string value, string? unit, string location) => new(value, Format: "Raw", Location: location, Unit: unit);

    private static string Format(double value, int decimals) => Math.Round(value, decimals).ToString(CultureInfo.InvariantCulture);
}
