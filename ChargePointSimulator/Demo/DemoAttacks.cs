using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

/// <summary>
/// The attacks of the layered-authorization issue and of its hardening, each against its own freshly registered cast:
/// the attack is carried out through the charger (or the camera / back office, or a raw WebSocket or TCP connection,
/// where that is the attacker's path) and must be refused, with the decision reason read back from
/// <c>GET /api/authorizations</c> where a decision is recorded.
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
        ["look-alike"] = ("an enrolled look-alike taps the driver's card first, then looks into the reader", LookAlikeAsync),
        ["two-connectors"] = ("complete evidence on two connectors, then Authorize (which names no connector)", TwoConnectorsAsync),
        ["restart-replay"] = ("a finished session's StartTransaction is sent again, identical", RestartReplayAsync),
        ["stale-capture"] = ("the camera posts a photo of the car taken ten minutes ago", StaleCaptureAsync),
        ["replayed-image"] = ("the camera's image of the car is posted again after its session", ReplayedImageAsync),
        ["jti-squatting"] = ("another charger's reader uses the driver's reader's next token id first", JtiSquattingAsync),
        ["unknown-group"] = ("the card names a group (parentIdTag) that is not registered", UnknownGroupAsync),
        ["blocked-group"] = ("the operator blocked the card's group", BlockedGroupAsync),
        ["no-station"] = ("a stolen card at a charge point that belongs to no station", NoStationAsync),
        ["takeover"] = ("an intruder connects with the charge point's identity while it is on line", TakeoverAsync),
        ["revoked-key"] = ("the charger keeps its socket after its key was changed, then after it was rejected", RevokedKeyAsync),
        ["brute-force"] = ("guessing a charge point's AuthorizationKey", BruteForceAsync),
        ["probe-identities"] = ("handshakes that would tell which identities exist", ProbeIdentitiesAsync),
        ["duplicate-property"] = ("payloads that name a property twice", DuplicatePropertyAsync),
        ["unauthenticated-body"] = ("a caller without an operator key announces a 20 MiB body", UnauthenticatedBodyAsync),
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
        bool passed = context.Report.Step("camera capture", capture.Verdict == "Passed", $"verdict {capture.Verdict}, plate read {capture.Plate ?? "-"}, confidence {capture.Confidence:0.000}, reasons {Reasons(capture)}");
        return await cast.ConnectAsync(verbose: false, ct) && passed;
    }

    private static string Reasons(ChargePointSimulator.Camera.PreVerificationRecord record) =>
        record.Raw.ValueKind == System.Text.Json.JsonValueKind.Object && record.Raw.TryGetProperty("reasons", out var reasons)
            ? string.Join(",", reasons.EnumerateArray().Select(r => r.GetString()))
            : "-";

    private static async Task PlugInAsync(DemoContext context, DemoCast cast, string vin, CancellationToken ct, int connectorId = 1)
    {
        var result = await cast.PlugInAsync(connectorId, vin, ct);
        context.Report.Step(connectorId == 1 ? "plug in -> VehicleIdentification" : $"plug in on connector {connectorId} -> VehicleIdentification",
            result?.Response?.Status == DataTransferStatus.Accepted, $"VIN {vin}: {DemoJourney.Describe(result)}");
    }

    private static async Task PresentGenuineFaceAsync(DemoContext context, DemoCast cast, CancellationToken ct, int connectorId = 1, int sample = 1)
    {
        var face = await cast.ChargePoint.PresentFaceAsync(cast.Reader, connectorId, cast.GenuineFace(sample), 0.97, ct);
        context.Report.Step(connectorId == 1 ? "genuine face -> BiometricToken" : $"genuine face at connector {connectorId} -> BiometricToken",
            face.Response.Status == DataTransferStatus.Accepted, $"{face.Response.Status}{DemoJourney.ReasonText(face.Response)}");
    }

    /// <summary>Sends a token the attacker made; the server must answer Rejected.</summary>
    private static async Task SendBadTokenAsync(DemoContext context, DemoCast cast, string what, string token, CancellationToken ct)
    {
        var response = await cast.ChargePoint.SendBiometricTokenAsync(1, token, ct);
        context.Report.Step($"{what} -> BiometricToken refused", response.Status != DataTransferStatus.Accepted,
            $"{response.Status}{DemoJourney.ReasonText(response)}");
    }

    /// <summary>The driver taps the card: Authorize must not be Accepted, for one of the expected reasons.</summary>
    private static Task ExpectRefusedAsync(DemoContext context, DemoCast cast, CancellationToken ct, params string[] expectedReasons) =>
        ExpectRefusedAsync(context, cast.ChargePoint, cast.IdTag, ct, expectedReasons);

    /// <summary>The card <paramref name="idTag"/> is tapped at connector 1 of <paramref name="chargePoint"/>: refused, for one of the expected reasons.</summary>
    private static async Task ExpectRefusedAsync(
        DemoContext context, ChargePoint chargePoint, string idTag, CancellationToken ct, params string[] expectedReasons)
    {
        var outcome = await chargePoint.PresentIdTagAsync(1, idTag, ct);
        var decision = (await context.Api.DecisionsAsync(chargePoint.Id, ct)).FirstOrDefault(d => d.Phase == "Authorize");
        bool refused = outcome == IdTagOutcome.Refused && decision is { Result: not "Accepted" };
        bool expectedReason = decision is not null && expectedReasons.Contains(decision.Reason);
        context.Report.Step("Authorize refused", refused && expectedReason,
            $"charger outcome {outcome}; decision {DemoJourney.DescribeDecision(decision)}" +
            (expectedReason ? "" : $" (expected reason {string.Join(" or ", expectedReasons)})"));
    }

    /// <summary>A fresh AuthorizationKey (16 random bytes as 32 hex characters): the attacker's guess, or an operator's new key.</summary>
    private static string NewKey() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>One handshake as <paramref name="identity"/>; an accepted socket is closed at once.</summary>
    private static async Task<DemoHandshake> HandshakeAsync(DemoContext context, string identity, string? user, string? password, CancellationToken ct)
    {
        var handshake = await DemoSocket.ConnectAsync(context.OcppBase, identity, user, password, context.WaitTimeout, ct);
        if (handshake.Socket is { } socket)
        {
            await socket.DisposeAsync();
        }

        return handshake;
    }

    /// <summary>A raw socket as <paramref name="identity"/> with its key; a refused handshake ends the attack (not a server decision).</summary>
    private static async Task<DemoSocket> OpenAsync(DemoContext context, string identity, string password, CancellationToken ct)
    {
        var handshake = await DemoSocket.ConnectAsync(context.OcppBase, identity, identity, password, context.WaitTimeout, ct);
        return handshake.Socket ?? throw new DemoStepException($"{identity} could not connect with its key: {handshake.Describe()}");
    }
}
