using System.Net.Http.Json;
using System.Text.Json;
using ChargePointSimulator.Biometrics;
using ChargePointSimulator.Load;
using Microsoft.Extensions.Logging.Abstractions;
using OcppServer.Registry;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Simulator;

/// <summary>
/// The <c>load --mix Journey</c> workload against the real server: every step of the three-factor journey is timed,
/// the gate's decisions are Accepted and recorded, and a refused factor shows up as errors with its reason.
/// </summary>
public sealed class LoadJourneyTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    /// <summary>The decisions of the JNY- chargers that were not Accepted, with their reasons (to say why a journey failed).</summary>
    private async Task<IEnumerable<string>> RefusedDecisionsAsync(int chargers)
    {
        var refused = new List<string>();
        for (int i = 1; i <= chargers; i++)
        {
            var decisions = await _server.GetJsonAsync($"/api/authorizations?chargePointId=JNY-{i:D5}&limit=1000");
            refused.AddRange(decisions.EnumerateArray().Where(d => d.GetProperty("result").GetString() != "Accepted").Select(d => d.ToString()));
        }

        return refused;
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_small_journey_run_completes_every_journey_and_the_server_records_accepted_decisions(CancellationToken cancellationToken)
    {
        var options = Options("JNY-", count: 5, rate: 20, seconds: 2);

        var report = await RunAsync(options, cancellationToken);

        var journey = report.Actions.Single(a => a.Action == MessageMix.Journey);
        long journeys = journey.Calls - journey.Errors;
        string refused = string.Join("\n", await RefusedDecisionsAsync(5));
        Assert.Multiple(() =>
        {
            Assert.That(report.Connected, Is.EqualTo(5));
            Assert.That(report.Errors, Is.Zero, Reasons(report) + "\n" + refused);
            Assert.That(journey.Errors, Is.Zero);
            // How many journeys 5 chargers get through depends on the machine (the figures are printed): at most the 20/s started.
            Assert.That(journeys, Is.Positive);
            Assert.That(journey.Calls + report.SkippedBusy, Is.LessThanOrEqualTo(options.Rate * report.DurationSeconds + 1), "never more than 20 journeys/s started");
            Assert.That(report.Actions.Select(a => a.Action), Is.EquivalentTo(LoadJourney.Steps));
            Assert.That(report.Actions, Has.All.Matches<ActionReport>(a => a!.P50Ms > 0 && a.P50Ms <= a.P99Ms && a.P99Ms <= a.MaxMs));
            Assert.That(report.Actions.Where(a => a.Action is "Authorize" or "StartTransaction" or "StopTransaction" or LoadJourney.PreVerificationStep
                    or LoadJourney.VehicleIdentificationStep or LoadJourney.BiometricTokenStep),
                Has.All.Matches<ActionReport>(a => a!.Calls == journeys), "each journey made each step once");
            Assert.That(report.Actions.Single(a => a.Action == "StatusNotification").Calls, Is.EqualTo(4 * journeys),
                "Preparing, Charging, Finishing, Available");
            Assert.That(report.Decisions, Is.EqualTo(2 * journeys), "Authorize and StartTransaction per journey");
            Assert.That(report.DecisionsPerSecond, Is.GreaterThan(0));
            Assert.That(report.JourneysPerSecond, Is.GreaterThan(0));
            Assert.That(journey.P50Ms, Is.GreaterThan(report.Actions.Single(a => a.Action == "Authorize").P50Ms), "the journey row times the whole journey");
        });
        string table = report.ToTable();
        Assert.That(table, Does.Contain("decisions/s").And.Contain("Journeys:").And.Contain("DataTransfer:BiometricToken"));
        Assert.That(LoadReport.FromJson(report.ToJson()).Decisions, Is.EqualTo(report.Decisions));

        // The server made layered decisions (every factor checked) and recorded finished transactions.
        long accepted = 0, stopped = 0;
        for (int i = 1; i <= 5; i++)
        {
            string chargePointId = $"JNY-{i:D5}";
            var decisions = await _server.GetJsonAsync($"/api/authorizations?chargePointId={chargePointId}&limit=1000");
            foreach (var decision in decisions.EnumerateArray())
            {
                Assert.That(decision.GetProperty("result").GetString(), Is.EqualTo("Accepted"), decision.ToString());
                Assert.That(decision.GetProperty("idTag").GetString(), Is.EqualTo($"JNY-TAG-{i:D5}"));
                var factors = decision.GetProperty("factors").EnumerateArray().ToDictionary(f => f.GetProperty("factor").GetString()!);
                Assert.That(factors.Values, Has.All.Matches<JsonElement>(f => f.GetProperty("required").GetBoolean() && f.GetProperty("ok").GetBoolean()),
                    decision.ToString());
                Assert.That(factors, Has.Count.EqualTo(4), "idTag, VIN, pre-verification, biometric");
                accepted++;
            }

            var transactions = await _server.GetJsonAsync($"/api/transactions?chargePointId={chargePointId}&limit=1000");
            foreach (var transaction in transactions.EnumerateArray())
            {
                Assert.That(transaction.GetProperty("startStatus").GetString(), Is.EqualTo("Accepted"));
                Assert.That(transaction.GetProperty("stopTimestamp").ValueKind, Is.EqualTo(JsonValueKind.String), "stopped");
                stopped++;
            }
        }

        Assert.That(accepted, Is.EqualTo(2 * journeys));
        Assert.That(stopped, Is.EqualTo(journeys));
        var chargePoint = await _server.ChargePointAsync("JNY-00001");
        Assert.That(chargePoint.GetProperty("stationId").GetString(), Is.EqualTo("JNY-STATION"));
        Assert.That(chargePoint.GetProperty("offlineHardening").GetProperty("bypassPossible").GetBoolean(), Is.False,
            "the load charger accepted the hardening");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task A_blocked_driver_and_a_blocked_vehicle_show_up_as_errors_with_the_refusal_reason(CancellationToken cancellationToken)
    {
        var options = Options("BLK-", count: 3, rate: 15, seconds: 1.5);
        var first = await RunAsync(options, cancellationToken);
        Assert.That(first.Errors, Is.Zero, Reasons(first));

        // The ids of the driver of BLK-00001 and the vehicle of BLK-00002, from their decisions; block them.
        string driverId = (await LatestDecisionAsync("BLK-00001")).GetProperty("driverId").GetString()!;
        string vehicleId = (await LatestDecisionAsync("BLK-00002")).GetProperty("vehicleId").GetString()!;
        (await _server.PostAsync($"/api/drivers/{driverId}/block")).AssertStatus(System.Net.HttpStatusCode.NoContent);
        (await _server.PostAsync($"/api/vehicles/{vehicleId}/block")).AssertStatus(System.Net.HttpStatusCode.NoContent);

        // Setting up again changes nothing (everything exists); the rerun goes without registering, as a worker does.
        Assert.That(await JourneySetup.RunAsync(options, null, cancellationToken), Is.Zero, "nothing new to set up");
        var report = await RunAsync(options with { Register = false }, cancellationToken);

        var journey = report.Actions.Single(a => a.Action == MessageMix.Journey);
        Assert.Multiple(() =>
        {
            Assert.That(report.FailureReasons.Keys, Is.EquivalentTo(new[] { "Authorize: Blocked", "PreVerification(API): BlockedVehicle" }), Reasons(report));
            Assert.That(report.Errors, Is.EqualTo(report.FailureReasons.Values.Sum()));
            Assert.That(journey.Errors, Is.EqualTo(report.Errors), "every failed journey failed at one step, and its clean-up went through");
            Assert.That(journey.Calls - journey.Errors, Is.GreaterThan(0), "BLK-00003 still completes its journeys");
            Assert.That(report.Decisions, Is.EqualTo(report.Actions.Single(a => a.Action == "Authorize").Calls
                                                    + report.Actions.Single(a => a.Action == "StartTransaction").Calls),
                "a refused Authorize is a decision too");
        });
        var refusal = await LatestDecisionAsync("BLK-00001");
        Assert.That((refusal.GetProperty("result").GetString(), refusal.GetProperty("reason").GetString()), Is.EqualTo(("Blocked", "DriverBlocked")));
        var transactions = await _server.GetJsonAsync("/api/transactions?chargePointId=BLK-00001&limit=1000");
        Assert.That(transactions.EnumerateArray(), Has.All.Matches<JsonElement>(t => t.GetProperty("stopTimestamp").ValueKind == JsonValueKind.String),
            "no transaction was left running");
    }

    [Test]
    public void Journey_is_a_mix_entry_of_its_own()
    {
        var only = MessageMix.Parse("journey");
        Assert.That(only.HasJourney, Is.True);
        Assert.That(only.ToString(), Is.EqualTo("Journey=1"));
        Assert.That(MessageMix.Parse(only.ToString()).HasJourney, Is.True);
        Assert.That(MessageMix.Default.HasJourney, Is.False);

        var mixed = MessageMix.Parse("Journey=10,Heartbeat=90");
        Assert.That(mixed.Weights, Is.EqualTo(new[] { ("Journey", 10.0), ("Heartbeat", 90.0) }));
        var random = new Random(7);
        int journeys = Enumerable.Range(0, 10_000).Count(_ => mixed.Pick(random) == MessageMix.Journey);
        Assert.That(journeys, Is.InRange(850, 1150), "about one pick in ten");

        Assert.That(MessageMix.Parse("Journey=0,Heartbeat=1").HasJourney, Is.False, "a zero weight drops the entry");
        Assert.That(MessageMix.Parse("Journey,DataTransfer,StatusNotification,MeterValues").HasJourney, Is.True);
        foreach (string own in new[] { "Authorize", "StartTransaction", "StopTransaction" })
        {
            var refused = Assert.Throws<ArgumentException>(() => MessageMix.Parse($"Journey=1,{own}=1"));
            Assert.That(refused!.Message, Does.Contain(own).And.Contain("Journey"));
        }

        Assert.Throws<ArgumentException>(() => MessageMix.Parse("Journeys"));
    }

    [Test]
    public void A_journey_run_needs_an_api_key_and_a_prefix_that_leaves_room_for_the_id_tags()
    {
        var options = new LoadOptions { Url = new Uri("ws://127.0.0.1:1/ocpp"), Mix = MessageMix.Parse("Journey"), Count = 10 };
        Assert.That(Assert.Throws<ArgumentException>(() => (options with { Register = false }).Validate())!.Message, Does.Contain("--api-key"));
        Assert.That(Assert.Throws<ArgumentException>(() => (options with { ApiKey = "k", IdPrefix = "A-VERY-LONG-PREFIX-" }).Validate())!.Message,
            Does.Contain("--id-prefix"));
        Assert.DoesNotThrow(() => (options with { ApiKey = "k", Register = false }).Validate());
    }

    [Test]
    public void Journey_identities_are_the_same_in_every_process_and_valid()
    {
        var a = new JourneyIdentities("LOAD-");
        var b = new JourneyIdentities("LOAD-");
        Assert.Multiple(() =>
        {
            Assert.That(a.StationId, Is.EqualTo("LOAD-STATION"));
            Assert.That(a.IdTag(41), Is.EqualTo("LOAD-TAG-00042"));
            Assert.That(a.Vin(41), Is.EqualTo(b.Vin(41)));
            Assert.That(a.Plate(41), Is.EqualTo(b.Plate(41)));
            Assert.That(a.Templates.Enrolled(a.PersonSeed(41)), Is.EqualTo(b.Templates.Enrolled(b.PersonSeed(41))));
            Assert.That(new JourneyIdentities("OTHER-").Vin(41), Is.Not.EqualTo(a.Vin(41)));
        });

        var vins = Enumerable.Range(0, 2000).Select(a.Vin).ToList();
        var plates = Enumerable.Range(0, 2000).Select(a.Plate).ToList();
        Assert.That(vins, Has.All.Matches<string>(v => VinValidator.Check(v!, requireCheckDigit: true) == VinProblem.None));
        Assert.That(vins.Distinct().Count(), Is.EqualTo(vins.Count));
        Assert.That(plates, Has.All.Matches<string>(p => PlateText.IsValid(PlateText.Normalize(p!))));
        Assert.That(plates.Select(PlateText.Normalize).Distinct().Count(), Is.EqualTo(plates.Count), "plates are unique per charger");

        using var readerA = a.Reader(41);
        using var readerB = b.Reader(41);
        using var other = a.Reader(42);
        Assert.That(readerA.KeyId, Is.EqualTo(readerB.KeyId));
        Assert.That(other.KeyId, Is.Not.EqualTo(readerA.KeyId));
        string token = readerA.CreateToken("LOAD-00042", 1, a.Templates.GenuineSample(a.PersonSeed(41), 1), 0.97, TimeProvider.System);
        Assert.That(BiometricReader.Verify(token, readerB.PublicKeyPem), Is.Not.Null, "a worker's reader signs what the registered key verifies");
    }

    [Test]
    public void Merging_worker_reports_adds_up_the_decisions()
    {
        var options = new LoadOptions { Url = new Uri("ws://127.0.0.1:1/ocpp"), Mix = MessageMix.Parse("Journey"), ApiKey = "k" };
        var histogram = LoadStatistics.NewHistogram();
        histogram.RecordValue(1500);
        LoadReport Worker(long decisions, double perSecond) => new()
        {
            Url = "ws://127.0.0.1:1/ocpp", Count = 10, Connected = 10, ConnectFailures = 0, ConnectSeconds = 1,
            Connect = ActionReport.From("Connect", 10, 0, histogram), Mix = "Journey=1", TargetRate = 5, DurationSeconds = 2, Calls = 100, Errors = 0,
            SkippedBusy = 0, Throughput = 50, Actions = [ActionReport.From("Journey", 5, 0, histogram)], FailureReasons = new Dictionary<string, int>(),
            OpenAtEnd = 10, Decisions = decisions, DecisionsPerSecond = perSecond, JourneysPerSecond = perSecond / 2,
            HistogramLog = LoadReport.EncodeHistograms([("Journey", histogram), ("Connect", histogram)]),
        };

        var merged = LoadWorkers.Merge(options, [Worker(10, 5), Worker(12, 6)], sources: 1);

        Assert.That((merged.Decisions, merged.DecisionsPerSecond, merged.JourneysPerSecond), Is.EqualTo(((long?)22, (double?)11, (double?)5.5)));
        Assert.That(merged.Actions.Single().Calls, Is.EqualTo(10));
        Assert.That(merged.ToTable(), Does.Contain("11.0 decisions/s"));
        var plain = LoadWorkers.Merge(options, [Worker(10, 5) with { Decisions = null, DecisionsPerSecond = null, JourneysPerSecond = null }], 1);
        Assert.That(plain.Decisions, Is.Null);
        Assert.That(plain.ToTable(), Does.Not.Contain("decisions/s"));
    }

    private LoadOptions Options(string prefix, int count, double rate, double seconds) => new()
    {
        Url = SimulatedChargePoint.OcppBase(_server),
        Count = count,
        Duration = TimeSpan.FromSeconds(seconds),
        Rate = rate,
        Mix = MessageMix.Parse("Journey"),
        IdPrefix = prefix,
        ApiKey = TestServer.ApiKey,
        Progress = false,
    };

    private static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var report = await new LoadRunner(options, TimeProvider.System, NullLoggerFactory.Instance, null).RunAsync(cancellationToken);
        await TestContext.Progress.WriteLineAsync(report.ToTable());
        return report;
    }

    private async Task<JsonElement> LatestDecisionAsync(string chargePointId) =>
        (await _server.Api.GetFromJsonAsync<JsonElement>($"/api/authorizations?chargePointId={chargePointId}&limit=1")).EnumerateArray().Single();

    private static string Reasons(LoadReport report) => string.Join("; ", report.FailureReasons.Select(r => $"{r.Key} x{r.Value}"));
}
