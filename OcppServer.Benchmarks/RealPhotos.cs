using OcppServer.Vision;

namespace OcppServer.Benchmarks;

/// <summary>Reads the labelled real photographs (labels.csv: file,plate,region,source) and reports per region.</summary>
internal static class RealPhotos
{
    public static IEnumerable<SetReport> Run(string folder, PlateReader reader, PlateMatcher matcher, double minConfidence)
    {
        var labels = Path.Combine(folder, "labels.csv");
        if (!File.Exists(labels))
        {
            Console.Error.WriteLine($"No {labels}: skipping the real photos.");
            return [];
        }
        var rows = Load(labels);
        var registry = rows.Select(r => r.Plate).Distinct().ToList();
        var reports = new Dictionary<string, SetReport>();
        SetReport For(string name) => reports.TryGetValue(name, out var r) ? r : reports[name] = new SetReport(name);

        foreach (var (file, plate, region) in rows)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, file));
            var isCrop = file.StartsWith("cn_crop_", StringComparison.Ordinal);
            var reading = isCrop ? reader.ReadCrop(bytes) : reader.ReadNow(bytes);
            var match = reading.Plate is null ? null : matcher.Match(reading.Plate, registry);
            var name = isCrop ? "real cn crops (recognition)" : $"real {region}";
            var exact = reading.Plate == plate;
            var confident = reading.Outcome == PlateReadOutcome.Read && reading.Confidence >= minConfidence;
            For(name).Add(reading.Outcome == PlateReadOutcome.Read, exact, match?.Plate == plate,
                match is { IsMatch: true } && match.Plate != plate, reading.Timings, confident);
            if (region == "cn")
            {
                var tail = reading.Plate is { Length: > 1 } p && p[1..] == plate[1..];
                For(isCrop ? "real cn crops [1:]" : "real cn [1:]").Add(reading.Outcome == PlateReadOutcome.Read, tail, match?.Plate == plate, match is { IsMatch: true } && match.Plate != plate, reading.Timings, confident);
            }
            Console.WriteLine($"  {file,-18} {plate,-10} read {reading.Plate ?? "-",-10} raw {reading.RawText ?? "-",-12} {reading.Outcome} {reading.Confidence:0.00} {reading.Timings.TotalMs:0} ms");
        }
        return reports.Values.OrderBy(r => r.Name);
    }

    private static List<(string File, string Plate, string Region)> Load(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Select(line => line.Split(',', 4))
            .Where(f => f.Length >= 3)
            .Select(f => (f[0], f[1], f[2]))
            .ToList();
}
