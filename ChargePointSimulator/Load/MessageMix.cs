using System.Globalization;

namespace ChargePointSimulator.Load;

/// <summary>
/// The share of each action in the steady phase, e.g. "Heartbeat=40,StatusNotification=30,MeterValues=30". The entry
/// <see cref="Journey"/> is not one CALL but a whole three-factor journey on one charger (see <see cref="LoadJourney"/>).
/// </summary>
public sealed class MessageMix
{
    /// <summary>One pick = pre-verification, plug-in, VIN, biometric token, Authorize, StartTransaction, StopTransaction, unplug.</summary>
    public const string Journey = "Journey";

    public static readonly IReadOnlyList<string> SupportedActions =
        ["Heartbeat", "StatusNotification", "MeterValues", "Authorize", "StartTransaction", "StopTransaction", "DataTransfer", Journey];

    /// <summary>Actions a journey sends itself with its driver's idTag; as lone picks they would be refused by the layered station.</summary>
    private static readonly string[] JourneyOwnedActions = ["Authorize", "StartTransaction", "StopTransaction"];

    private readonly (string Action, double Cumulative)[] _table;

    private MessageMix(IReadOnlyList<(string Action, double Weight)> weights)
    {
        double total = weights.Sum(w => w.Weight);
        double cumulative = 0;
        _table = weights.Select(w => (w.Action, cumulative += w.Weight / total)).ToArray();
        Weights = weights;
    }

    public static MessageMix Default { get; } = Parse("Heartbeat=40,StatusNotification=30,MeterValues=30");

    public IReadOnlyList<(string Action, double Weight)> Weights { get; }

    /// <summary>The mix contains journeys: the run sets up a layered station and its identities first.</summary>
    public bool HasJourney => Weights.Any(w => w.Action == Journey);

    public static MessageMix Parse(string text)
    {
        var weights = new List<(string, double)>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            string action = SupportedActions.FirstOrDefault(a => a.Equals(pieces[0], StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unsupported action {pieces[0]} in the mix; use {string.Join(", ", SupportedActions)}");
            double weight = pieces.Length == 2 ? double.Parse(pieces[1], CultureInfo.InvariantCulture) : 1;
            if (weight < 0)
            {
                throw new ArgumentException($"Negative weight for {action}");
            }

            if (weight > 0)
            {
                weights.Add((action, weight));
            }
        }

        if (weights.Count == 0)
        {
            throw new ArgumentException("The mix names no action");
        }

        if (weights.Any(w => w.Item1 == Journey) && weights.Select(w => w.Item1).Intersect(JourneyOwnedActions).FirstOrDefault() is { } owned)
        {
            throw new ArgumentException(
                $"{owned} cannot be mixed with {Journey}: a journey sends Authorize, StartTransaction and StopTransaction itself, and its " +
                "chargers belong to a layered station that refuses a lone idTag; mix Journey with Heartbeat, StatusNotification, MeterValues or DataTransfer");
        }

        return new MessageMix(weights);
    }

    public string Pick(Random random)
    {
        double x = random.NextDouble();
        foreach (var (action, cumulative) in _table)
        {
            if (x < cumulative)
            {
                return action;
            }
        }

        return _table[^1].Action;
    }

    public override string ToString() =>
        string.Join(',', Weights.Select(w => $"{w.Action}={w.Weight.ToString(CultureInfo.InvariantCulture)}"));
}
