using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

/// <summary>
/// The attacks of the layered-authorization issue, each against its own freshly registered cast: the attack is
/// carried out through the charger (or the camera / back office where that is the attacker's path) and must be
/// refused, with the decision reason read back from <c>GET /api/authorizations</c>.
/// </summary>
public static partial class DemoAttacks
{
    private delegate Task Attack(DemoContext context, DemoCast cast, CancellationToken ct);

    private static readonly IReadOnlyDictionary<string, (string Description, Attack Run)> All = new Dictionary<string, (string, Attack)>(StringComparer.OrdinalIgnoreCase)
    {
        ["no-preverification"] = ("the vehicle never passed the entrance camera", NoPreVerificationAsync),
        ["cloned-plate"] = ("the camera saw one registered vehicle's plate, the car reports another registered vehicle's VIN", ClonedPlateAsync),
        ["impostor"] = ("someone else (also enrolled) looks into the reader", ImpostorAsync),
        ["replay"] = ("the same signed token is sent twice", ReplayAsync),
        ["forged-token"] = ("token signed with the attacker's key under the reader's key id", ForgedTokenAsync),
        ["alg-none"] = ("unsigned token (alg: none)", AlgNoneAsync),
        ["other-connector"] = ("token signed for connector 2 presented on connector 1", OtherConnectorAsync),
        ["expired-token"] = ("token that expired eight minutes ago", ExpiredTokenAsync),
        ["offline-start"] = ("charger starts off line without evidence and keeps charging", OfflineStartAsync),
        ["unplug"] = ("evidence of a vehicle that was unplugged", UnplugAsync),
        ["blocked-vehicle"] = ("the operator blocked the vehicle after it entered", BlockedVehicleAsync),
    };

    public static IReadOnlyList<string> Names => [.. All.Keys];

    public static bool Exists(string name) => name.Equals("all", StringComparison.OrdinalIgnoreCase) || All.ContainsKey(name);

    /// <summary>Runs one attack, or every attack for "all".</summary>
    public static async Task RunAsync(DemoContext context, string name, CancellationToken ct)
    {
        var names = name.Equals("all", StringComparison.OrdinalIgnoreCase) ? Names : [name];
        foreach (string attack in names)
        {
            var (description, run) = All[attack];
            context.Report.Heading($"Attack {attack}: {description}");
            await using var cast = await DemoCast.CreateAsync(context, attack, verbose: false, ct);
            try
            {
                await run(context, cast, ct);
            }
            catch (Exception ex) when (ex is DemoStepException or OcppCallErrorException or OcppCallTimeoutException or OcppNotConnectedException or HttpRequestException)
            {
                context.Report.Step($"attack {attack}", false, ex.Message);
            }
        }
    }

    /// <summary>Camera at the entrance (expected Passed) and the charger on line.</summary>
    private static async Task<bool> EnterAndConnectAsync(DemoContext context, DemoCast cast, CancellationToken ct, string? plate = null)
    {
        var capture = await cast.CaptureEntranceAsync(ct, plate);
        bool passed = context.Report.Step("camera capture", capture.Verdict == "Passed", $"verdict {capture.Verdict}, plate read {capture.Plate ?? "-"}");
        return await cast.ConnectAsync(verbose: false, ct) && passed;
    }

    private static async Task PlugInAsync(DemoContext context, DemoCast cast, string vin, CancellationToken ct)
    {
        var result = await cast.PlugInAsync(1, vin, ct);
        context.Report.Step("plug in -> VehicleIdentification", result?.Response?.Status == DataTransferStatus.Accepted, $"VIN {vin}: {DemoJourney.Describe(result)}");
    }

    private static async Task PresentGenuineFaceAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        var face = await cast.ChargePoint.PresentFaceAsync(cast.Reader, 1, cast.GenuineFace(), 0.97, ct);
        context.Report.Step("genuine face -> BiometricToken", face.Response.Status == DataTransferStatus.Accepted,
            $"{face.Response.Status}{DemoJourney.ReasonText(face.Response)}");
    }

    /// <summary>Sends a token the attacker made; the server must answer Rejected.</summary>
    private static async Task SendBadTokenAsync(DemoContext context, DemoCast cast, string what, string token, CancellationToken ct)
    {
        var response = await cast.ChargePoint.SendBiometricTokenAsync(1, token, ct);
        context.Report.Step($"{what} -> BiometricToken refused", response.Status != DataTransferStatus.Accepted,
            $"{response.Status}{DemoJourney.ReasonText(response)}");
    }

    /// <summary>The driver taps the card: Authorize must not be Accepted, for one of the expected reasons.</summary>
    private static async Task ExpectRefusedAsync(DemoContext context, DemoCast cast, CancellationToken ct, params string[] expectedReasons)
    {
        var outcome = await cast.ChargePoint.PresentIdTagAsync(1, cast.IdTag, ct);
        var decision = (await context.Api.DecisionsAsync(cast.ChargePointId, ct)).FirstOrDefault(d => d.Phase == "Authorize");
        bool refused = outcome == IdTagOutcome.Refused && decision is { Result: not "Accepted" };
        bool expectedReason = decision is not null && expectedReasons.Contains(decision.Reason);
        context.Report.Step("Authorize refused", refused && expectedReason,
            $"charger outcome {outcome}; decision {DemoJourney.DescribeDecision(decision)}" +
            (expectedReason ? "" : $" (expected reason {string.Join(" or ", expectedReasons)})"));
    }
}
