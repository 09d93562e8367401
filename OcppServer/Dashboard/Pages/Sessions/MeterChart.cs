using System.Globalization;
using OcppServer.Api;

namespace OcppServer.Dashboard.Pages.Sessions;

/// <summary>A reading of the chart: when, the value in the chart's unit (Wh or W), and what it came from.</summary>
public sealed record MeterReading(DateTimeOffset At, double Value, string Source);

public sealed record ChartTick(double Position, string Label);

/// <summary>
/// A session's energy (Wh, Energy.Active.Import.Register, the OCPP default measurand) and power (W,
/// Power.Active.Import) over time, laid out for an inline SVG drawn on the server: energy on the left axis, power on
/// the right, time along the bottom. Only plain numeric totals are drawn (no per-phase values, no signed data).
/// </summary>
public sealed class MeterChart
{
    public const double Width = 800;
    public const double Height = 320;
    public const double Left = 78;
    public const double Right = 722;
    public const double Top = 20;
    public const double Bottom = 270;

    public const string EnergyMeasurand = "Energy.Active.Import.Register";
    public const string PowerMeasurand = "Power.Active.Import";

    private MeterChart(IReadOnlyList<MeterReading> energy, IReadOnlyList<MeterReading> power)
    {
        Energy = energy;
        Power = power;
        var all = energy.Concat(power).Select(r => r.At).ToList();
        From = all.Count == 0 ? DateTimeOffset.UnixEpoch : all.Min();
        To = all.Count == 0 ? DateTimeOffset.UnixEpoch : all.Max();
        // A register counts from the meter's installation: the axis spans this session's readings, not zero to them.
        EnergyMin = energy.Count == 0 ? 0 : Math.Floor(energy.Min(r => r.Value));
        EnergyMax = EnergyMin + NiceMax(energy.Select(r => r.Value - EnergyMin));
        PowerMax = NiceMax(power.Select(r => r.Value));
    }

    public IReadOnlyList<MeterReading> Energy { get; }

    public IReadOnlyList<MeterReading> Power { get; }

    public DateTimeOffset From { get; }

    public DateTimeOffset To { get; }

    public double EnergyMin { get; }

    public double EnergyMax { get; }

    public double PowerMax { get; }

    /// <summary>Whether there is anything to draw: at least two points of one series.</summary>
    public bool Drawable => Energy.Count >= 2 || Power.Count >= 2;

    public static MeterChart For(TransactionView transaction)
    {
        var energy = new List<MeterReading> { new(transaction.StartTimestamp, transaction.MeterStart, "meterStart") };
        var power = new List<MeterReading>();
        foreach (var v in transaction.MeterValues)
        {
            if (v.Phase is not null || v.Format == "SignedData"
                || !double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                continue;
            }

            string measurand = v.Measurand ?? EnergyMeasurand;
            if (measurand == EnergyMeasurand)
            {
                energy.Add(new(v.Timestamp, Scale(value, v.Unit, "kWh"), Describe(v)));
            }
            else if (measurand == PowerMeasurand)
            {
                power.Add(new(v.Timestamp, Scale(value, v.Unit, "kW"), Describe(v)));
            }
        }

        if (transaction is { MeterStop: { } stop, StopTimestamp: { } stoppedAt })
        {
            energy.Add(new(stoppedAt, stop, "meterStop"));
        }

        return new MeterChart(
            energy.OrderBy(r => r.At).ToList(),
            power.OrderBy(r => r.At).ToList());
    }

    private static string Describe(SampledValueView v) => v.Context ?? v.Source;

    /// <summary>kWh to Wh, kW to W; OCPP's default unit is Wh (W for power).</summary>
    private static double Scale(double value, string? unit, string kilo) =>
        string.Equals(unit, kilo, StringComparison.Ordinal) ? value * 1000 : value;

    /// <summary>The polyline of a series: "x,y x,y ...".</summary>
    public string Points(IReadOnlyList<MeterReading> series, double min, double max) =>
        string.Join(" ", series.Select(r => $"{Fmt(X(r.At))},{Fmt(Y(r.Value, min, max))}"));

    public string EnergyPoints => Points(Energy, EnergyMin, EnergyMax);

    public string PowerPoints => Points(Power, 0, PowerMax);

    public double X(DateTimeOffset at)
    {
        double span = (To - From).TotalSeconds;
        return span <= 0 ? (Left + Right) / 2 : Left + (Right - Left) * (at - From).TotalSeconds / span;
    }

    public static double Y(double value, double min, double max) =>
        max <= min ? Bottom : Bottom - (Bottom - Top) * (value - min) / (max - min);

    public IReadOnlyList<ChartTick> EnergyTicks => Ticks(EnergyMin, EnergyMax);

    public IReadOnlyList<ChartTick> PowerTicks => Ticks(0, PowerMax);

    public IReadOnlyList<ChartTick> TimeTicks
    {
        get
        {
            if (To <= From)
            {
                return [new ChartTick((Left + Right) / 2, From.ToString("HH:mm:ss", CultureInfo.InvariantCulture))];
            }

            string format = (To - From).TotalDays >= 1 ? "MM-dd HH:mm" : "HH:mm:ss";
            return Enumerable.Range(0, 5)
                .Select(i => From + (To - From) * (i / 4.0))
                .Select(t => new ChartTick(X(t), t.ToString(format, CultureInfo.InvariantCulture)))
                .ToList();
        }
    }

    private static List<ChartTick> Ticks(double min, double max) =>
        Enumerable.Range(0, 5)
            .Select(i => min + (max - min) * i / 4)
            .Select(v => new ChartTick(Y(v, min, max), v.ToString("#,0", CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>A round upper bound (1, 2 or 5 times a power of ten) at or above every value; 1 when there are none.</summary>
    private static double NiceMax(IEnumerable<double> values)
    {
        double max = values.DefaultIfEmpty(0).Max();
        if (max <= 0)
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= max)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    public static string Fmt(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
