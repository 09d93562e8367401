namespace OcppServer.Benchmarks;

/// <summary>Counts for one image set and the line that prints them.</summary>
internal sealed class SetReport(string name)
{
    private readonly List<double> _milliseconds = [];
    private readonly List<double> _localiseMs = [];
    private readonly List<double> _recogniseMs = [];

    public string Name { get; } = name;
    public int Images { get; private set; }
    public int Localised { get; private set; }
    public int Exact { get; private set; }
    public int Matched { get; private set; }
    public int WrongMatches { get; private set; }
    public string? LocalisedMeaning { get; init; }

    /// <summary>Reads at or above the acceptance threshold (Vision:MinConfidence): what the camera path accepts.</summary>
    public int Confident { get; private set; }

    /// <summary>Confident reads that were exactly right (the calibration: should be ≥ 99.5 % of <see cref="Confident"/>).</summary>
    public int ConfidentExact { get; private set; }

    public void Add(bool localised, bool exact, bool matched, bool wrongMatch, OcppServer.Vision.PlateReadTimings timings, bool confident = false)
    {
        Confident += confident ? 1 : 0;
        ConfidentExact += confident && exact ? 1 : 0;
        _localiseMs.Add(timings.LocaliseMs);
        _recogniseMs.Add(timings.RecogniseMs);
        var milliseconds = timings.TotalMs;
        Images++;
        Localised += localised ? 1 : 0;
        Exact += exact ? 1 : 0;
        Matched += matched ? 1 : 0;
        WrongMatches += wrongMatch ? 1 : 0;
        _milliseconds.Add(milliseconds);
    }

    public double ExactRate => Images == 0 ? 0 : (double)Exact / Images;

    public void Print(TextWriter output)
    {
        if (Images == 0)
        {
            output.WriteLine($"{Name,-28} no images");
            return;
        }
        var sorted = _milliseconds.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var p95 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
        output.WriteLine(
            $"{Name,-28} n={Images,4}  localised {Percent(Localised),6}  exact {Percent(Exact),6}  registry match {Percent(Matched),6}  " +
            $"wrong-vehicle {WrongMatches,2}  low-confidence {Percent(Images - Confident),6}  right when confident {(Confident == 0 ? "-" : $"{100.0 * ConfidentExact / Confident:0.0}%"),6}  " +
            $"median {median,5:0.0} ms  p95 {p95,5:0.0} ms" +
            $"  (median localise {Median(_localiseMs):0.0}, recognise {Median(_recogniseMs):0.0})");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private string Percent(int n) => $"{100.0 * n / Images:0.0}%";
}
