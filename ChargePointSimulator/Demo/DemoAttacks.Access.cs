using System.Globalization;
using System.Net.WebSockets;
using ChargePointSimulator.Charger;
using ChargePointSimulator.Ocpp;

namespace ChargePointSimulator.Demo;

/// <summary>
/// Ways into the server around the gate: a charge point outside any station, handshakes without the key, keys kept
/// after revocation, guessing and probing, payloads the server could misread, and bodies pushed at the operator API.
/// Every failed handshake costs this address a token of its failure budget (30 by default): these attacks spend
/// twelve, each on an identity of their own, so that a whole run never locks the demo out.
/// </summary>
public static partial class DemoAttacks
{
    /// <summary>Wrong keys tried on one identity: its failure budget by default (Security:CredentialFailures:PerCredentialBurst).</summary>
    private const int Guesses = 5;

    /// <summary>A charge point registered without a station (and without IdTagOnly): a stolen card is not enough there.</summary>
    private static async Task NoStationAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string id = $"{cast.ChargePointId}-NS";
        string key = NewKey();
        await context.Api.RegisterChargePointAsync(id, stationId: null, key, ct);
        context.Report.Info($"charge point {id} registered without a station (authorization not set to IdTagOnly); {cast.IdTag}'s card, stolen, is tapped there");
        await using var charger = DemoCharger.Start(context, id, key);
        var (online, _) = await context.WaitForAsync(_ => Task.FromResult(charger.ChargePoint.IsOnline), o => o, ct);
        if (!online)
        {
            context.Report.Step("connect + BootNotification", false, $"the charger did not come on line: {charger.LastEvents()}");
            return;
        }

        await ExpectRefusedAsync(context, charger.ChargePoint, cast.IdTag, ct, "NoLayeredPolicy");
    }

    /// <summary>An intruder who knows the identity (not the key) connects while the genuine charger is on line.</summary>
    private static async Task TakeoverAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        if (!await cast.ConnectAsync(verbose: false, ct))
        {
            return;
        }

        int drops = Drops(cast);
        context.Report.Info($"{cast.ChargePointId} is on line; an intruder who knows its identity, not its key, connects as it");
        var noKey = await HandshakeAsync(context, cast.ChargePointId, user: null, password: null, ct);
        context.Report.Step("handshake without credentials -> 401", noKey.Unauthorized, noKey.Describe());
        var guessed = await HandshakeAsync(context, cast.ChargePointId, cast.ChargePointId, NewKey(), ct);
        context.Report.Step("handshake with a guessed AuthorizationKey -> 401", guessed.Unauthorized, guessed.Describe());

        bool connected = (await context.Api.GetChargePointAsync(cast.ChargePointId, ct)).GetProperty("connected").GetBoolean();
        bool untouched = connected && cast.ChargePoint.IsOnline && Drops(cast) == drops;
        context.Report.Step("the genuine charger's socket is untouched", untouched,
            untouched ? "still connected, never dropped" : $"connected {connected}, on line {cast.ChargePoint.IsOnline}, dropped {Drops(cast) - drops} time(s)");
        await PlugInAsync(context, cast, cast.Vin, ct);
    }

    /// <summary>
    /// Whoever holds the charge point's key is on line; the operator sets a new key, then rejects the charge point:
    /// each time the live socket is closed at once and the revoked credentials no longer connect.
    /// </summary>
    private static async Task RevokedKeyAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string id = cast.ChargePointId;
        await using var leaked = await OpenAsync(context, id, cast.Password, ct);
        var heartbeat = await leaked.CallAsync("Heartbeat", "{}", context.WaitTimeout, ct);
        context.Report.Info($"on line with the leaked key: Heartbeat {heartbeat.Describe()}");

        string newKey = NewKey();
        await context.Api.SetChargePointPasswordAsync(id, newKey, ct);
        context.Report.Info($"the operator sets a new key (PUT /api/chargepoints/{id}/password)");
        await ExpectClosedAsync(context, leaked, "the socket of the old key is closed at once (1008)", ct);
        var old = await HandshakeAsync(context, id, id, cast.Password, ct);
        context.Report.Step("the old key -> 401", old.Unauthorized, old.Describe());

        var renewed = await DemoSocket.ConnectAsync(context.OcppBase, id, id, newKey, context.WaitTimeout, ct);
        if (!context.Report.Step("the new key connects", renewed.Socket is not null, renewed.Describe()))
        {
            return;
        }

        await using var socket = renewed.Socket!;
        await context.Api.RejectChargePointAsync(id, ct);
        context.Report.Info($"the operator rejects the charge point (POST /api/chargepoints/{id}/reject)");
        await ExpectClosedAsync(context, socket, "its live socket is closed at once (1008)", ct);
        var rejected = await HandshakeAsync(context, id, id, newKey, ct);
        context.Report.Step("the rejected charge point's own key -> 401", rejected.Unauthorized, rejected.Describe());
    }

    /// <summary>Guessing a throwaway charge point's key: once its failures are spent, even the right key is refused.</summary>
    private static async Task BruteForceAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string target = $"{cast.ChargePointId}-BF";
        string key = NewKey();
        await context.Api.RegisterChargePointAsync(target, cast.StationId, key, ct);
        context.Report.Info($"charge point {target} registered with its key; the attacker tries {Guesses} guessed keys, then (by luck) the right one");
        var answers = new List<DemoHandshake>();
        for (int i = 0; i < Guesses; i++)
        {
            answers.Add(await HandshakeAsync(context, target, target, NewKey(), ct));
        }

        context.Report.Step($"{Guesses} guessed keys -> 401", answers.All(a => a.Unauthorized),
            string.Join(", ", answers.Select(a => ((int)a.Status).ToString(CultureInfo.InvariantCulture))));
        var right = await HandshakeAsync(context, target, target, key, ct);
        context.Report.Step("the right key, after the identity's failures are spent -> 401 (not even checked)", right.Unauthorized, right.Describe());
        var bystander = await HandshakeAsync(context, cast.ChargePointId, cast.ChargePointId, cast.Password, ct);
        context.Report.Step("another charge point from the same address still connects (the lock is the identity's)", bystander.Accepted, bystander.Describe());
    }

    /// <summary>Handshakes that would tell an unknown identity from a known one, or a rejected one: all the same 401.</summary>
    private static async Task ProbeIdentitiesAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        string known = $"{cast.ChargePointId}-PK";
        string rejected = $"{cast.ChargePointId}-PR";
        string unknown = $"DEMO-NOSUCH-{context.NewSuffix()}";
        string rejectedKey = NewKey();
        await context.Api.RegisterChargePointAsync(known, cast.StationId, NewKey(), ct);
        await context.Api.RegisterChargePointAsync(rejected, cast.StationId, rejectedKey, ct);
        await context.Api.RejectChargePointAsync(rejected, ct);
        context.Report.Info($"registered {known}, registered and rejected {rejected}; never registered {unknown}");

        (string What, DemoHandshake Answer)[] probes =
        [
            ("unknown identity, no credentials", await HandshakeAsync(context, unknown, null, null, ct)),
            ("unknown identity, a key", await HandshakeAsync(context, unknown, unknown, NewKey(), ct)),
            ("registered identity, no credentials", await HandshakeAsync(context, known, null, null, ct)),
            ("registered identity, a wrong key", await HandshakeAsync(context, known, known, NewKey(), ct)),
            ("rejected charge point, its own key", await HandshakeAsync(context, rejected, rejected, rejectedKey, ct)),
        ];
        foreach (var (what, answer) in probes)
        {
            context.Report.Info($"{what}: {answer.Describe()}");
        }

        context.Report.Step("every probe -> 401", probes.All(p => p.Answer.Unauthorized),
            string.Join(", ", probes.Select(p => ((int)p.Answer.Status).ToString(CultureInfo.InvariantCulture))));
        var challenges = probes.Select(p => p.Answer.WwwAuthenticate ?? "-").Distinct(StringComparer.Ordinal).ToList();
        context.Report.Step("the same WWW-Authenticate for every probe", challenges.Count == 1, string.Join(" | ", challenges));
    }

    /// <summary>
    /// Payloads that name a property twice, over the charge point's own socket: a reader checking the first value and
    /// a handler using the second would let through what the schema forbids. Each is refused; nothing is decided.
    /// </summary>
    private static async Task DuplicatePropertyAsync(DemoContext context, DemoCast cast, CancellationToken ct)
    {
        await using var socket = await OpenAsync(context, cast.ChargePointId, cast.Password, ct);
        string timestamp = context.Time.GetUtcNow().UtcDateTime.ToString(UtcTimestampConverter.Format, CultureInfo.InvariantCulture);
        (string Action, string Payload)[] frames =
        [
            ("Authorize", $$"""{"idTag":"{{cast.IdTag}}","idTag":null}"""),
            ("StartTransaction", $$"""{"connectorId":1,"idTag":"{{cast.IdTag}}","meterStart":0,"timestamp":"{{timestamp}}","idTag":"{{new string('X', 30)}}"}"""),
        ];
        foreach (var (action, payload) in frames)
        {
            var reply = await socket.CallAsync(action, payload, context.WaitTimeout, ct);
            context.Report.Step($"{action} naming idTag twice -> FormationViolation", reply.ErrorCode == OcppErrorCodes.FormationViolation,
                $"{payload} -> {reply.Describe()}");
        }

        var heartbeat = await socket.CallAsync("Heartbeat", "{}", context.WaitTimeout, ct);
        context.Report.Step("the connection stays usable", heartbeat.Payload is not null, $"Heartbeat -> {heartbeat.Describe()}");
        int decisions = (await context.Api.DecisionsAsync(cast.ChargePointId, ct)).Count;
        int transactions = (await context.Api.TransactionsAsync(cast.ChargePointId, ct)).Count;
        context.Report.Step("nothing decided, nothing stored", decisions == 0 && transactions == 0, $"{decisions} decision(s), {transactions} transaction(s)");
    }

    /// <summary>
    /// A caller without an operator key announces a 20 MiB body and sends none of it: the key is checked first, so the
    /// answer comes at once. With the key, the route still reads at most 64 KiB.
    /// </summary>
    private static async Task UnauthenticatedBodyAsync(DemoContext context, DemoCast _, CancellationToken ct)
    {
        var server = context.Api.Http.BaseAddress ?? throw new DemoStepException("The API client has no base address");
        const long Announced = 20L << 20;
        (string, string)[] head = [("Content-Type", "application/json"), ("Content-Length", Announced.ToString(CultureInfo.InvariantCulture)), ("Connection", "close")];
        context.Report.Info($"POST /api/drivers with Content-Length {Announced} written over TCP; the body is never sent");
        var anonymous = await DemoRawHttp.SendHeadOnlyAsync(server, "POST", "/api/drivers", head, context.WaitTimeout, ct);
        context.Report.Step("no operator key -> 401 before any of the body", anonymous.Status == 401, anonymous.StatusLine);

        if (context.Api.Http.DefaultRequestHeaders.TryGetValues(ApiKeyHeader, out var keys) && keys.FirstOrDefault() is { } key)
        {
            var withKey = await DemoRawHttp.SendHeadOnlyAsync(server, "POST", "/api/drivers", [.. head, (ApiKeyHeader, key)], context.WaitTimeout, ct);
            context.Report.Step("with the operator key -> 413 (an operator route reads at most 64 KiB)", withKey.Status == 413, withKey.StatusLine);
        }
    }

    private const string ApiKeyHeader = "X-Api-Key";

    private static int Drops(DemoCast cast) => cast.Events.Count(e => e.Kind == ChargePointEventKind.Disconnected);

    private static async Task ExpectClosedAsync(DemoContext context, DemoSocket socket, string step, CancellationToken ct)
    {
        var (closed, status) = await socket.WaitClosedAsync(context.WaitTimeout, ct);
        context.Report.Step(step, closed && status == WebSocketCloseStatus.PolicyViolation,
            closed ? $"closed by the server: {(status is { } s ? $"{(int)s} {s}" : "without a close status")}" : $"still open after {context.WaitTimeout.TotalSeconds:0} s");
    }
}
