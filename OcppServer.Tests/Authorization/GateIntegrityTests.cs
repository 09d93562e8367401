using System.Net.Http.Json;
using System.Text.Json;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Authorization;

/// <summary>
/// Ways around the layered gate an attacker would try, each against the real server over a real WebSocket and the
/// real API; each must end refused with a recorded reason, or be impossible.
/// </summary>
public sealed class GateIntegrityTests
{
    private TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Authorization:RemoteStopGraceSeconds"] = "1",
    });

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task A_StartTransaction_resent_after_its_transaction_stopped_is_decided_anew_and_refused()
    {
        await using var s = await LayeredScenario.CreateAsync(_server, "dedup-stopped");
        await s.PresentAllEvidenceAsync();
        var start = new { connectorId = 1, idTag = s.IdTag, meterStart = 1000, timestamp = _server.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ") };

        var first = await s.Client.CallResultAsync("StartTransaction", start);
        Assert.That(first.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        int transactionId = first.GetProperty("transactionId").GetInt32();

        // While it is open, an identical start is a resend: same transaction, same answer, nothing decided again.
        var resend = await s.Client.CallResultAsync("StartTransaction", start);
        Assert.That(resend.GetProperty("transactionId").GetInt32(), Is.EqualTo(transactionId));
        Assert.That(resend.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.EqualTo("Accepted"));
        int decisionsWhileOpen = await StartDecisionCountAsync(s);

        await s.Client.CallResultAsync("StopTransaction", new
        {
            transactionId, meterStop = 1500, timestamp = _server.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), reason = "Local",
        });

        // The same content after the stop is a replay: decided anew (its evidence is consumed), refused and recorded.
        var replay = await s.Client.CallResultAsync("StartTransaction", start);
        int replayId = replay.GetProperty("transactionId").GetInt32();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replay.GetProperty("idTagInfo").GetProperty("status").GetString(), Is.Not.EqualTo("Accepted"));
            Assert.That(replayId, Is.Not.EqualTo(transactionId), "not the finished transaction");
            Assert.That(await StartDecisionCountAsync(s), Is.EqualTo(decisionsWhileOpen + 1));
        }

        var decision = await s.LatestDecisionAsync();
        Assert.That(decision.GetProperty("result").GetString(), Is.Not.EqualTo("Accepted"));
        Assert.That(decision.GetProperty("transactionId").GetInt32(), Is.EqualTo(replayId));
    }

    [Test]
    public async Task One_reader_cannot_make_another_readers_token_look_replayed_by_using_its_jti_first()
    {
        await using var victim = await LayeredScenario.CreateAsync(_server, "jti-victim");
        await using var other = await LayeredScenario.CreateAsync(_server, "jti-other");
        await victim.PreVerifyAsync();
        await victim.SendVinAsync();
        const string Jti = "shared-jti-0001";

        // Another charger's reader (its own key) signs a token with the jti the victim's reader is about to use.
        string foreign = other.Reader.Sign(other.ChargePointId, 1, TestBiometricReader.Sample(other.Template, 1), _server.Clock.GetUtcNow(), jti: Jti);
        Assert.That((await other.SendTokenAsync(foreign)).GetProperty("status").GetString(), Is.EqualTo("Accepted"));

        string genuine = victim.Reader.Sign(victim.ChargePointId, 1, TestBiometricReader.Sample(victim.Template, 2), _server.Clock.GetUtcNow(), jti: Jti);
        Assert.That((await victim.SendTokenAsync(genuine)).GetProperty("status").GetString(), Is.EqualTo("Accepted"), "not a replay: another key's jti");
        Assert.That(await victim.AuthorizeAsync(), Is.EqualTo("Accepted"));

        // The same reader reusing its own jti is still a replay.
        string replay = victim.Reader.Sign(victim.ChargePointId, 1, TestBiometricReader.Sample(victim.Template, 3), _server.Clock.GetUtcNow(), jti: Jti);
        Assert.That((await victim.SendTokenAsync(replay)).GetProperty("status").GetString(), Is.EqualTo("Rejected"));
    }

    private async Task<int> StartDecisionCountAsync(LayeredScenario s)
    {
        var decisions = await _server.Api.GetFromJsonAsync<JsonElement>($"/api/authorizations?chargePointId={s.ChargePointId}&limit=100");
        return decisions.EnumerateArray().Count(d => d.GetProperty("phase").GetString() == "StartTransaction");
    }
}
