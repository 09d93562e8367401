using ChargePointSimulator.Charger;

namespace ChargePointSimulator.Cli;

/// <summary>Commands typed while <c>run --interactive</c> runs; the first token may name a charge point (default: the first).</summary>
internal static class InteractiveConsole
{
    private const string Help =
        "commands: [cpId] plug N | unplug N | tap N IDTAG | stop N | drop | cut | restore | event TYPE [TECHINFO] | status | quit";

    public static async Task RunAsync(IReadOnlyList<ChargePoint> chargePoints, TextReader input, TextWriter output, Lock printLock, CancellationTokenSource stop)
    {
        Print(output, printLock, Help);
        while (!stop.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await input.ReadLineAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (line is null)
            {
                return;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            var target = chargePoints.FirstOrDefault(c => c.Id == words[0]);
            if (target is not null)
            {
                words = words[1..];
            }

            target ??= chargePoints[0];
            try
            {
                string reply = await ExecuteAsync(target, words, stop);
                Print(output, printLock, reply);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
            {
                Print(output, printLock, $"error: {ex.Message}");
            }
        }
    }

    private static async Task<string> ExecuteAsync(ChargePoint chargePoint, string[] words, CancellationTokenSource stop)
    {
        int Connector() => words.Length > 1 ? int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        switch (words.ElementAtOrDefault(0))
        {
            case "plug":
                await chargePoint.PlugInAsync(Connector(), null, stop.Token);
                return "plugged in";
            case "unplug":
                chargePoint.Unplug(Connector());
                return "unplugged";
            case "tap":
                return (await chargePoint.PresentIdTagAsync(Connector(), words[2], stop.Token)).ToString();
            case "stop":
                return chargePoint.StopTransaction(Connector()) ? "stopping" : "no transaction";
            case "drop":
                chargePoint.DropConnection();
                return "connection dropped";
            case "cut":
                chargePoint.CutNetwork();
                return "network cut";
            case "restore":
                chargePoint.RestoreNetwork();
                return "network restored";
            case "event":
                // SecurityEventNotification (security whitepaper), e.g. "event TamperDetectionActivated cover opened".
                await chargePoint.ReportSecurityEventAsync(words[1], words.Length > 2 ? string.Join(' ', words[2..]) : null, stop.Token);
                return "security event reported";
            case "status":
                return $"{chargePoint.Id} online={chargePoint.IsOnline} queued={chargePoint.QueuedMessages} boots={chargePoint.AcceptedBoots} " +
                    string.Join(" ", chargePoint.Connectors().Select(c =>
                        $"[{c.ConnectorId}: {c.Status} tx={c.TransactionId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {c.MeterWh} Wh {c.PowerW:0} W]"));
            case "quit":
                await stop.CancelAsync();
                return "stopping";
            default:
                return Help;
        }
    }

    private static void Print(TextWriter output, Lock printLock, string text)
    {
        lock (printLock)
        {
            output.WriteLine(text);
        }
    }
}
