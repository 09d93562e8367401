using System.Globalization;
using System.Text.RegularExpressions;

namespace OcppServer.Tests.Infrastructure;

/// <summary>The samples of a Prometheus text exposition (<c>name{label="value",…} number</c>), read for assertions.</summary>
public sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public PrometheusText(string text)
    {
        Text = text;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = Sample().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = label.Groups["value"].Value.Replace("\\\"", "\"").Replace("\\\\", "\\");
            }

            _samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    /// <summary>Whether any sample has this name.</summary>
    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out string? v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>The label sets of the samples named <paramref name="name"/>.</summary>
    public IEnumerable<IReadOnlyDictionary<string, string>> LabelsOf(string name) => _samples.Where(s => s.Name == name).Select(s => s.Labels);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[^\s]+)(\s+\d+)?\s*$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
