using System.Collections.Concurrent;
using System.Diagnostics;
using OcppServer.Tests.Infrastructure;

namespace OcppServer.Tests.Observability;

/// <summary>The server's traces (ActivitySource "OcppAuth"): a span per inbound CALL, a child span per decision, no secrets.</summary>
public sealed class TraceTests
{
    [Test]
    public async Task A_call_and_its_decision_are_traced_without_the_id_tag()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OcppAuth",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await TestServer.StartAsync();
        string id = TestIds.Next("TRACE");
        string tag = TestIds.Next("TT");
        await server.CreateIdTagAsync(tag);
        await using var client = await server.ConnectBootedAsync(id);

        await client.CallResultAsync("Authorize", new { idTag = tag });

        var mine = await Eventually.UntilAsync(
            () => Task.FromResult(stopped.Where(a => Equals(a.GetTagItem("ocpp.charge_point.id"), id)).ToList()),
            activities => activities.Any(a => a.OperationName == "ocppauth.decision") && activities.Any(a => Equals(a.GetTagItem("ocpp.action"), "Authorize")),
            "the Authorize call and its decision are traced");
        var call = mine.Single(a => a.OperationName == "ocpp.call" && Equals(a.GetTagItem("ocpp.action"), "Authorize"));
        var decision = mine.Single(a => a.OperationName == "ocppauth.decision");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(call.GetTagItem("ocpp.outcome"), Is.EqualTo("CallResult"));
            Assert.That(decision.ParentSpanId, Is.EqualTo(call.SpanId), "the decision is part of the call's handling");
            Assert.That(decision.GetTagItem("decision.phase"), Is.EqualTo("Authorize"));
            Assert.That(decision.GetTagItem("decision.result"), Is.EqualTo("Accepted"));
            Assert.That(decision.GetTagItem("decision.reason"), Is.EqualTo("IdTagOnlyByOperator"));
            Assert.That(mine.SelectMany(a => a.TagObjects).Select(t => t.Value?.ToString()), Has.None.Contains(tag), "never the id tag");
        }
    }
}
